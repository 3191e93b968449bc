-- Languages: the language a member chose for their replies in a server (with /profile language, before or
-- without a profile), and the language of a poll's public messages (NULL: the forum's).

CREATE TABLE member_languages (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    language    TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

ALTER TABLE polls ADD COLUMN language TEXT;
