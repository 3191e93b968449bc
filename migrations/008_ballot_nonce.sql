-- Secret polls keyed by a server secret the database never holds (see bot/core/ballot_keys.py).
-- A poll created from now on keeps only a random nonce (its key is derived from the secret and the nonce)
-- and a check value (which secret it was created under); both are erased (NULL) when it closes, like the
-- ballots. A secret poll still open from before keeps its salt, the key itself, until it closes.
ALTER TABLE polls ADD COLUMN ballot_nonce BLOB;
ALTER TABLE polls ADD COLUMN ballot_check BLOB;
