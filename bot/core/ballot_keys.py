"""Secret ballots' keys: derived from a server secret the database never holds.

A secret poll's ballots are keyed by a hash of the voter, never their Discord id. The hash is keyed per
poll, and the poll's key is derived from the server secret (`CONCORD_BALLOT_KEY`, or the key file beside
the database; see bot/ballot_key.py) and a random nonce that the database holds while the poll is open:

    poll key  = HMAC-SHA256(secret, "poll:<poll id>:<nonce, hex>")
    voter key = HMAC-SHA256(poll key, "<poll id>:<user id>")
    check     = HMAC-SHA256(secret, "check:<nonce, hex>")   (which secret the poll was created under)

So the database file alone cannot recompute any voter's key, open or closed; with the secret too, while
the poll is open, anyone can test a member's id against the stored keys. At close the nonce, the check
and the ballots are erased, and nothing links a ballot to a person even for someone who later has the
secret. Polls created before ballot keys hold their whole key in the database (`legacy_salt`) and keep
it until they close.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

NONCE_BYTES = 32
MIN_SECRET_BYTES = 32


@dataclass(frozen=True, slots=True)
class BallotSeed:
    """What the database holds of a secret poll's key while the poll is open (all of it erased at close).

    `nonce` and `check` for polls created with a server secret; `legacy_salt`, the whole key, for a poll
    created before, which keeps working until it closes.
    """

    nonce: bytes | None = None
    check: bytes | None = None
    legacy_salt: bytes | None = None


def poll_key(secret: bytes, poll_id: int, nonce: bytes) -> bytes:
    """HMAC-SHA256(secret, "poll:<poll id>:<nonce, hex>"): each poll's own key."""
    return hmac.new(secret, f"poll:{poll_id}:{nonce.hex()}".encode(), hashlib.sha256).digest()


def voter_key(key: bytes, poll_id: int, user_id: int) -> bytes:
    """HMAC-SHA256(key, "<poll id>:<user id>"): one ballot per person, unlinkable once the key is gone."""
    return hmac.new(key, f"{poll_id}:{user_id}".encode(), hashlib.sha256).digest()


def secret_check(secret: bytes, nonce: bytes) -> bytes:
    """HMAC-SHA256(secret, "check:<nonce, hex>"): tells whether a secret is the one a poll was created under."""
    return hmac.new(secret, f"check:{nonce.hex()}".encode(), hashlib.sha256).digest()


class BallotKeys:
    """The server secret, held once for the running bot, and what each secret poll derives from it."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"a ballot secret needs at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret

    def __repr__(self) -> str:
        return "BallotKeys(<secret>)"

    def new_seed(self) -> BallotSeed:
        """A new secret poll's nonce and check, to be stored with it."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        return BallotSeed(nonce=nonce, check=secret_check(self._secret, nonce))

    def opens(self, seed: BallotSeed) -> bool:
        """Whether this secret is the one the poll was created under (a poll keyed by a salt: yes)."""
        if seed.nonce is None:
            return seed.legacy_salt is not None
        return seed.check is not None and hmac.compare_digest(seed.check, secret_check(self._secret, seed.nonce))

    def voter_key(self, poll_id: int, seed: BallotSeed, user_id: int) -> bytes:
        """The key of this member's ballot in this poll."""
        if seed.nonce is not None:
            return voter_key(poll_key(self._secret, poll_id, seed.nonce), poll_id, user_id)
        if seed.legacy_salt is not None:
            return voter_key(seed.legacy_salt, poll_id, user_id)
        raise ValueError(f"poll {poll_id} holds no ballot key: it is not a secret poll, or it has closed")

    def voter_keys(self, poll_id: int, seed: BallotSeed, user_ids: Sequence[int]) -> list[bytes]:
        """`voter_key` of each member, in order: the poll's key derived once (a burst of votes)."""
        if seed.nonce is not None:
            key = poll_key(self._secret, poll_id, seed.nonce)
        elif seed.legacy_salt is not None:
            key = seed.legacy_salt
        else:
            raise ValueError(f"poll {poll_id} holds no ballot key: it is not a secret poll, or it has closed")
        return [hmac.digest(key, f"{poll_id}:{user_id}".encode(), "sha256") for user_id in user_ids]
