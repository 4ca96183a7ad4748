"""Flow figures: where a portfolio's time goes and why projects go back (pure, `now` passed in)."""
