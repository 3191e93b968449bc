-- The slash-command tree last synced to each scope, so a start-up syncs only when the definitions changed.
-- scope: "global", or "guild:<id>" for a tree synced to one server. fingerprint: a digest of the synced
-- definitions, computed by the app. Times are UTC text in one fixed format (YYYY-MM-DDTHH:MM:SS.ffffffZ).

CREATE TABLE command_sync (
    scope        TEXT PRIMARY KEY CHECK (
        scope = 'global' OR (scope GLOB 'guild:[1-9]*' AND substr(scope, 7) NOT GLOB '*[^0-9]*')
    ),
    fingerprint  TEXT NOT NULL,
    synced_at    TEXT NOT NULL
);
