-- A statement's own counts (agrees, disagrees, passes: what choosing the next statement reads) are
-- kept by triggers on `reactions` too, like `reaction_counts` (migration 010), instead of by each
-- writer: a click, a member's new group and an erasure all keep them in step without a line of their own.
CREATE TRIGGER statement_totals_insert AFTER INSERT ON reactions BEGIN
    UPDATE statements SET
        agrees = agrees + (new.reaction = 'agree'),
        disagrees = disagrees + (new.reaction = 'disagree'),
        passes = passes + (new.reaction = 'pass')
    WHERE id = new.statement_id;
END;

CREATE TRIGGER statement_totals_delete AFTER DELETE ON reactions BEGIN
    UPDATE statements SET
        agrees = agrees - (old.reaction = 'agree'),
        disagrees = disagrees - (old.reaction = 'disagree'),
        passes = passes - (old.reaction = 'pass')
    WHERE id = old.statement_id;
END;

CREATE TRIGGER statement_totals_update AFTER UPDATE OF reaction, statement_id ON reactions BEGIN
    UPDATE statements SET
        agrees = agrees - (old.reaction = 'agree'),
        disagrees = disagrees - (old.reaction = 'disagree'),
        passes = passes - (old.reaction = 'pass')
    WHERE id = old.statement_id;
    UPDATE statements SET
        agrees = agrees + (new.reaction = 'agree'),
        disagrees = disagrees + (new.reaction = 'disagree'),
        passes = passes + (new.reaction = 'pass')
    WHERE id = new.statement_id;
END;
