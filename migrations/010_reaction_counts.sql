-- Common ground reads each current statement's reactions by stakeholder group. Counting them from
-- `reactions` on every `/<slug> bridges` visits every reaction on the theme (100,000 in the
-- discussion benchmark); these counts are kept in step by triggers on `reactions` instead, so that
-- every way a reaction changes (a click, a member's new stakeholder group, an erasure) updates them
-- in its own transaction and no writer can forget to, and the command reads one row per statement
-- and group. `grp` is the reacting members' stakeholder group, '' for members without a profile.
CREATE TABLE reaction_counts (
    statement_id  INTEGER NOT NULL REFERENCES statements (id),
    grp           TEXT    NOT NULL,
    agrees        INTEGER NOT NULL DEFAULT 0,
    disagrees     INTEGER NOT NULL DEFAULT 0,
    passes        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (statement_id, grp)
) WITHOUT ROWID;

INSERT INTO reaction_counts (statement_id, grp, agrees, disagrees, passes)
SELECT statement_id, coalesce(stakeholder, ''),
       count(*) FILTER (WHERE reaction = 'agree'),
       count(*) FILTER (WHERE reaction = 'disagree'),
       count(*) FILTER (WHERE reaction = 'pass')
FROM reactions GROUP BY statement_id, coalesce(stakeholder, '');

CREATE TRIGGER reaction_counts_insert AFTER INSERT ON reactions BEGIN
    INSERT INTO reaction_counts (statement_id, grp, agrees, disagrees, passes)
    VALUES (new.statement_id, coalesce(new.stakeholder, ''),
            new.reaction = 'agree', new.reaction = 'disagree', new.reaction = 'pass')
    ON CONFLICT (statement_id, grp) DO UPDATE SET
        agrees = agrees + excluded.agrees,
        disagrees = disagrees + excluded.disagrees,
        passes = passes + excluded.passes;
END;

CREATE TRIGGER reaction_counts_delete AFTER DELETE ON reactions BEGIN
    UPDATE reaction_counts SET
        agrees = agrees - (old.reaction = 'agree'),
        disagrees = disagrees - (old.reaction = 'disagree'),
        passes = passes - (old.reaction = 'pass')
    WHERE statement_id = old.statement_id AND grp = coalesce(old.stakeholder, '');
    DELETE FROM reaction_counts
    WHERE statement_id = old.statement_id AND grp = coalesce(old.stakeholder, '')
      AND agrees = 0 AND disagrees = 0 AND passes = 0;
END;

CREATE TRIGGER reaction_counts_update AFTER UPDATE OF reaction, stakeholder, statement_id ON reactions BEGIN
    UPDATE reaction_counts SET
        agrees = agrees - (old.reaction = 'agree'),
        disagrees = disagrees - (old.reaction = 'disagree'),
        passes = passes - (old.reaction = 'pass')
    WHERE statement_id = old.statement_id AND grp = coalesce(old.stakeholder, '');
    DELETE FROM reaction_counts
    WHERE statement_id = old.statement_id AND grp = coalesce(old.stakeholder, '')
      AND agrees = 0 AND disagrees = 0 AND passes = 0;
    INSERT INTO reaction_counts (statement_id, grp, agrees, disagrees, passes)
    VALUES (new.statement_id, coalesce(new.stakeholder, ''),
            new.reaction = 'agree', new.reaction = 'disagree', new.reaction = 'pass')
    ON CONFLICT (statement_id, grp) DO UPDATE SET
        agrees = agrees + excluded.agrees,
        disagrees = disagrees + excluded.disagrees,
        passes = passes + excluded.passes;
END;
