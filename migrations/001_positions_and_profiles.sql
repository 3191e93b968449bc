-- Positions and profiles: participants' profiles, their current position per theme, and the append-only history.
-- Times are UTC text in one fixed format (YYYY-MM-DDTHH:MM:SS.ffffffZ), so they sort as they compare.

CREATE TABLE profiles (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    stakeholder  TEXT    NOT NULL,
    region       TEXT,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE positions (
    guild_id      INTEGER NOT NULL,
    theme         TEXT    NOT NULL,
    user_id       INTEGER NOT NULL,
    display_name  TEXT    NOT NULL,
    stance        TEXT    NOT NULL,
    rationale     TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (guild_id, theme, user_id)
);

CREATE INDEX positions_by_stance ON positions (guild_id, theme, stance, updated_at);

-- One row per change; stance NULL records a withdrawal.
CREATE TABLE position_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id   INTEGER NOT NULL,
    theme      TEXT    NOT NULL,
    user_id    INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    stance     TEXT,
    rationale  TEXT
);

CREATE INDEX position_history_by_theme ON position_history (guild_id, theme, at);
