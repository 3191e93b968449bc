-- A member's own statements (what /mydata shows, what an erasure deletes) straight from their rows:
-- statements were indexed by (guild_id, theme, author_id, text), which a lookup without the theme cannot
-- search. Positions, their history, profiles, reactions and reports already have a (guild_id, user_id)
-- index (007 and earlier). Statistics are refreshed when the store opens (ANALYZE, sampled: see
-- bot/store/base.py), not here: 007's ANALYZE ran on the then empty tables.

CREATE INDEX statements_by_author ON statements (guild_id, author_id);

-- The positions browser in the order members see it (newest first, ties by user id), from the index
-- itself: no sort of the whole theme, and a page found by its first key instead of counting past every
-- earlier row. The stance index gains the same order (it replaces positions_by_stance, whose columns it
-- starts with).
CREATE INDEX positions_newest ON positions (guild_id, theme, updated_at DESC, user_id);
CREATE INDEX positions_newest_by_stance ON positions (guild_id, theme, stance, updated_at DESC, user_id);
DROP INDEX positions_by_stance;
