"""The database migrations, `NNN_reason.sql`, applied in order by `bot.migrate`.

A package only so that the SQL files ship with an installed bot as package data, where
`importlib.resources` finds them; a folder beside the source tree would not exist in site-packages.
"""
