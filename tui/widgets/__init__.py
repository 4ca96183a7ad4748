"""Reusable widgets of the dashboard: each draws a projection from `core` and posts messages up."""
