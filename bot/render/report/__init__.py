"""The offline renderings of a digest (CLI report, rehearsal): Markdown, HTML, JSON and CSV, none of them Discord.

Each format is its own module and this package imports none of them, so a report loads only
the format it writes. Their phrases come from `bot.render.wording`, their charts from
`bot.render.charts`. No module is named after the standard library's `json`, `csv` or `html`:
inside the package that would be harmless, but running a file directly, or a tool that puts this
folder on `sys.path`, would make it shadow the library it imports.
"""
