"""Words and pictures for Discord: embeds, message texts and components, within Discord's limits."""
