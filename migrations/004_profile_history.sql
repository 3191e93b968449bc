-- Profiles change over time; a digest rebuilt later (reports, resumed posts) must group
-- participants as they were when the digest was taken, so every profile change is kept.

CREATE TABLE profile_history (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    at           TEXT    NOT NULL,
    stakeholder  TEXT    NOT NULL,
    region       TEXT
);

CREATE INDEX profile_history_by_user ON profile_history (guild_id, user_id, at);

INSERT INTO profile_history (guild_id, user_id, at, stakeholder, region)
SELECT guild_id, user_id, updated_at, stakeholder, region FROM profiles ORDER BY updated_at;
