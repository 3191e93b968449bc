"""Pure logic: no Discord, no SQL. Tallies, durations, schedules and digests over plain data."""
