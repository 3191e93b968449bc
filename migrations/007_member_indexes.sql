-- Reads of one member's own data (their positions for /profile show, whether they ever took a
-- position) go straight to their rows instead of scanning the server's.

CREATE INDEX positions_by_member ON positions (guild_id, user_id);
CREATE INDEX position_history_by_member ON position_history (guild_id, user_id);

ANALYZE;
