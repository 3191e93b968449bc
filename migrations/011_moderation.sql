-- Moderation: members report statements, facilitators hide (and restore) them with a recorded reason.
-- Member ids: statement_reports.reporter_id, moderation_actions.moderator_id (and, through
-- statement_id, the statement's author_id).

-- One report per member per statement, with an optional short reason. settled_by: the moderation
-- action (Hide or Keep) that answered it; NULL while it waits in the queue.
CREATE TABLE statement_reports (
    statement_id  INTEGER NOT NULL REFERENCES statements (id),
    reporter_id   INTEGER NOT NULL,
    guild_id      INTEGER NOT NULL,
    reason        TEXT,
    at            TEXT    NOT NULL,
    settled_by    INTEGER REFERENCES moderation_actions (id),
    PRIMARY KEY (statement_id, reporter_id)
) WITHOUT ROWID;

CREATE INDEX statement_reports_open ON statement_reports (guild_id, settled_by);
CREATE INDEX statement_reports_by_member ON statement_reports (guild_id, reporter_id);

-- Every facilitator's action, appended: hide and restore alternate per statement (the store refuses a
-- hide of a hidden statement and a restore of a visible one), keep dismisses the reports.
-- author_told: for a hide, whether the author's DM was delivered (1) or their DMs were closed (0);
-- NULL until tried, and for restore and keep.
CREATE TABLE moderation_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    statement_id  INTEGER NOT NULL REFERENCES statements (id),
    action        TEXT    NOT NULL CHECK (action IN ('hide', 'restore', 'keep')),
    moderator_id  INTEGER NOT NULL,
    reason        TEXT,
    at            TEXT    NOT NULL,
    author_told   INTEGER
);

CREATE INDEX moderation_actions_by_statement ON moderation_actions (statement_id, id);
CREATE INDEX moderation_actions_by_guild ON moderation_actions (guild_id, id);

-- Since when a statement is hidden (NULL: visible), kept in step with moderation_actions in each
-- action's transaction, so today's readers test one column.
ALTER TABLE statements ADD COLUMN hidden_since TEXT;

-- Each span during which a statement was hidden: from a hide to the restore after it (NULL: still
-- hidden). "Hidden as of T" is a span with hidden_from <= T < hidden_until.
CREATE VIEW statement_hidden_spans AS
SELECT statement_id, guild_id, hidden_from, hidden_until FROM (
    SELECT statement_id, guild_id, action, at AS hidden_from,
           lead(at) OVER (PARTITION BY statement_id ORDER BY id) AS hidden_until
    FROM moderation_actions WHERE action IN ('hide', 'restore')
) WHERE action = 'hide';

-- The statements shown today: those a current position points at, and no facilitator has hidden.
DROP VIEW current_statements;
CREATE VIEW current_statements AS
SELECT s.id, s.guild_id, s.number, s.theme, s.author_id, s.text, s.created_at,
       s.agrees, s.disagrees, s.passes, p.stance, p.display_name, p.updated_at
FROM statements s JOIN positions p ON p.statement_id = s.id
WHERE s.hidden_since IS NULL;
