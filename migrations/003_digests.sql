-- Digests: where each server's digests go, and what became of every digest occurrence.
-- Times are UTC text in one fixed format (YYYY-MM-DDTHH:MM:SS.ffffffZ), so they sort as they compare.

-- A server gets scheduled digests once an organiser picks a channel. configured_at is the first
-- time one was picked: occurrences due well before it (more than the grace) are not this server's.
CREATE TABLE digest_channels (
    guild_id       INTEGER PRIMARY KEY,
    channel_id     INTEGER NOT NULL,
    configured_at  TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     INTEGER
);

-- One row per digest occurrence (kind, due time) per server: the unique key is what makes a
-- digest post at most once. A manual `/digest post` is a row whose due time is when it was asked.
-- status: pending (being posted, or failed and waiting for its retry), posted, missed (too late).
-- snapshot_at: the moment the content is taken, fixed at the first attempt, so a resumed digest
-- continues the same content; parts_sent says how many of its messages already went out.
CREATE TABLE digest_runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id         INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('before', 'after', 'weekly')),
    due_at           TEXT    NOT NULL,
    manual           INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'posted', 'missed')),
    channel_id       INTEGER,
    snapshot_at      TEXT,
    parts_total      INTEGER,
    parts_sent       INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT,
    error_kind       TEXT,
    error_at         TEXT,
    posted_at        TEXT,
    UNIQUE (guild_id, kind, due_at)
);

CREATE INDEX digest_runs_by_status ON digest_runs (guild_id, status, due_at);

-- The messages a digest was posted as, in order.
CREATE TABLE digest_messages (
    run_id      INTEGER NOT NULL REFERENCES digest_runs (id) ON DELETE CASCADE,
    part        INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    PRIMARY KEY (run_id, part)
);
