"""Every change to a portfolio as a value with apply() and inverse(), and their replay."""
