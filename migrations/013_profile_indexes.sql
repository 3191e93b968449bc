-- A member's own statements (what /mydata shows, what an erasure deletes) straight from their rows:
-- statements were indexed by (guild_id, theme, author_id, text), which a lookup without the theme cannot
-- search. Positions, their history, profiles, reactions and reports already have a (guild_id, user_id)
-- index (007 and earlier). Statistics are refreshed when the store opens (ANALYZE, sampled: see
-- bot/store/base.py), not here: 007's ANALYZE ran on the then empty tables.

CREATE INDEX statements_by_author ON statements (guild_id, author_id);
