-- Polls: facilitator polls, numbered per server, with secret ballots and restart-safe closing.
-- Times are UTC text in one fixed format (YYYY-MM-DDTHH:MM:SS.ffffffZ), so they sort as they compare.
-- Option positions are 0-based, in the order the facilitator typed them.

-- The last poll number handed out in each server (1, 2, 3...), so numbers never come from max()+1.
CREATE TABLE poll_counters (
    guild_id     INTEGER PRIMARY KEY,
    last_number  INTEGER NOT NULL
);

CREATE TABLE polls (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id            INTEGER NOT NULL,
    number              INTEGER NOT NULL,
    channel_id          INTEGER NOT NULL,
    message_id          INTEGER,
    created_by          INTEGER NOT NULL,
    question            TEXT    NOT NULL,
    theme               TEXT,
    secret              INTEGER NOT NULL CHECK (secret IN (0, 1)),
    hide_results        INTEGER NOT NULL CHECK (hide_results IN (0, 1)),
    max_choices         INTEGER NOT NULL CHECK (max_choices BETWEEN 1 AND 10),
    created_at          TEXT    NOT NULL,
    closes_at           TEXT    NOT NULL,
    -- Secret polls only: the key of the voters' keyed hashes, erased (NULL) when the poll closes.
    salt                BLOB,
    -- Set once, in the same transaction that turns the ballots into counts: votes stop here.
    closed_at           TEXT,
    -- Delivery of the closing, step by step, so a retry never repeats a step that succeeded.
    close_edited        INTEGER NOT NULL DEFAULT 0,
    results_message_id  INTEGER,
    close_attempts      INTEGER NOT NULL DEFAULT 0,
    close_retry_at      TEXT,
    -- The closing-soon notice: posted once, or retried with backoff.
    soon_message_id     INTEGER,
    soon_attempts       INTEGER NOT NULL DEFAULT 0,
    soon_retry_at       TEXT,
    last_error          TEXT,
    UNIQUE (guild_id, number),
    CHECK (secret = 1 OR salt IS NULL)
);

CREATE INDEX polls_by_state ON polls (closed_at, closes_at);

CREATE TABLE poll_options (
    poll_id   INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    label     TEXT    NOT NULL,
    PRIMARY KEY (poll_id, position)
);

-- Open-ballot votes: one row per chosen option; the stakeholder group is the voter's at vote time.
CREATE TABLE poll_votes (
    poll_id      INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    stakeholder  TEXT,
    voted_at     TEXT    NOT NULL,
    PRIMARY KEY (poll_id, user_id, position)
) WITHOUT ROWID;

-- Secret ballots while the poll is open: a keyed hash stands for the voter (no Discord id, no time).
-- Erased at close, once reduced to poll_result_* counts.
CREATE TABLE poll_ballots (
    poll_id      INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    voter_key    BLOB    NOT NULL,
    position     INTEGER NOT NULL,
    stakeholder  TEXT,
    PRIMARY KEY (poll_id, voter_key, position)
) WITHOUT ROWID;

-- Every closed poll's results as counts, with groups under 3 voters already merged into "other":
-- the database keeps no more than the published results.
CREATE TABLE poll_result_groups (
    poll_id  INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    grp      TEXT    NOT NULL,
    voters   INTEGER NOT NULL,
    PRIMARY KEY (poll_id, grp)
);

CREATE TABLE poll_result_counts (
    poll_id   INTEGER NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    grp       TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    votes     INTEGER NOT NULL,
    PRIMARY KEY (poll_id, grp, position)
);
