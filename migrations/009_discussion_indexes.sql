-- Common ground counts every current reaction on a theme by statement and stakeholder group
-- (`theme_votes`, for `/<slug> bridges`). Without this index SQLite sorts every reaction into a
-- temporary b-tree to group them; in this order it reads them already grouped, from the index
-- alone (the reaction is in it), so the aggregate never sorts and never visits the table.
CREATE INDEX reactions_by_group ON reactions (statement_id, stakeholder, reaction);
