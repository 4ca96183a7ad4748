"""The Flow view: where the portfolio's time goes and why projects go back."""
