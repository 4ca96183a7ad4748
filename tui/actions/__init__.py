"""Flows shared by the dashboard and triage: lifecycle moves and project add, edit, delete."""
