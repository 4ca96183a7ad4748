"""Two versions side by side: semantic and field-level diffs, change records, merges, log lines."""
