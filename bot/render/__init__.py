"""Turns core results into Discord embeds and, for reports, Markdown, HTML, CSV and PNG charts."""
