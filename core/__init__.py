"""mlfolio's domain: models and every calculation, with no I/O, UI or clock."""
