-- Statements and reactions: every distinct rationale a participant records becomes a statement,
-- numbered per server (#1, #2, ...), that others can agree with, disagree with or pass on.
-- Times are UTC text in one fixed format (YYYY-MM-DDTHH:MM:SS.ffffffZ), so they sort as they compare.

-- The last statement number handed out in each server, so numbers never come from max()+1.
CREATE TABLE statement_counters (
    guild_id     INTEGER PRIMARY KEY,
    last_number  INTEGER NOT NULL
);

-- One row per distinct text an author wrote on a theme: the same text again (with another stance, or
-- after writing something else) is the same statement, with its number and its reactions.
-- agrees/disagrees/passes: the current reactions, kept in step with `reactions` in each reaction's
-- transaction, so choosing what a member reads next never has to count them.
CREATE TABLE statements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    theme       TEXT    NOT NULL,
    author_id   INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    agrees      INTEGER NOT NULL DEFAULT 0,
    disagrees   INTEGER NOT NULL DEFAULT 0,
    passes      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (guild_id, number),
    UNIQUE (guild_id, theme, author_id, text)
);

-- A position's statement is its rationale's; the statement is current while a position points at it.
ALTER TABLE positions ADD COLUMN statement_id INTEGER REFERENCES statements (id);
ALTER TABLE position_history ADD COLUMN statement_id INTEGER REFERENCES statements (id);

CREATE INDEX positions_by_statement ON positions (statement_id);

-- Every reaction with its time: a change of mind is appended, so a digest rebuilt for an earlier
-- moment counts the reactions as they stood then.
CREATE TABLE reaction_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    statement_id  INTEGER NOT NULL REFERENCES statements (id),
    user_id       INTEGER NOT NULL,
    reaction      TEXT    NOT NULL CHECK (reaction IN ('agree', 'disagree', 'pass')),
    at            TEXT    NOT NULL
);

CREATE INDEX reaction_history_by_moment ON reaction_history (guild_id, at);

-- The latest reaction of each member to each statement (one per member per statement).
-- stakeholder: the member's current stakeholder group (NULL without a profile), kept in step with
-- their profile, so the live "common ground" counts by group in one pass.
CREATE TABLE reactions (
    statement_id  INTEGER NOT NULL REFERENCES statements (id),
    user_id       INTEGER NOT NULL,
    guild_id      INTEGER NOT NULL,
    reaction      TEXT    NOT NULL CHECK (reaction IN ('agree', 'disagree', 'pass')),
    stakeholder   TEXT,
    at            TEXT    NOT NULL,
    PRIMARY KEY (statement_id, user_id)
) WITHOUT ROWID;

CREATE INDEX reactions_by_member ON reactions (guild_id, user_id);

-- The statements shown today: those a current position points at. Every reader of current statements
-- goes through this view.
CREATE VIEW current_statements AS
SELECT s.id, s.guild_id, s.number, s.theme, s.author_id, s.text, s.created_at,
       s.agrees, s.disagrees, s.passes, p.stance, p.display_name, p.updated_at
FROM statements s JOIN positions p ON p.statement_id = s.id;

-- Rationales recorded before statements existed become statements too, numbered per server in the
-- order they were first written.
INSERT INTO statements (guild_id, number, theme, author_id, text, created_at)
SELECT guild_id, row_number() OVER (PARTITION BY guild_id ORDER BY first_id), theme, user_id, rationale, first_at
FROM (
    SELECT guild_id, theme, user_id, rationale, min(id) AS first_id, min(at) AS first_at
    FROM position_history WHERE rationale IS NOT NULL
    GROUP BY guild_id, theme, user_id, rationale
);

INSERT INTO statement_counters (guild_id, last_number)
SELECT guild_id, max(number) FROM statements GROUP BY guild_id;

UPDATE position_history SET statement_id = (
    SELECT s.id FROM statements s
    WHERE s.guild_id = position_history.guild_id AND s.theme = position_history.theme
      AND s.author_id = position_history.user_id AND s.text = position_history.rationale
) WHERE rationale IS NOT NULL;

UPDATE positions SET statement_id = (
    SELECT s.id FROM statements s
    WHERE s.guild_id = positions.guild_id AND s.theme = positions.theme
      AND s.author_id = positions.user_id AND s.text = positions.rationale
) WHERE rationale IS NOT NULL;
