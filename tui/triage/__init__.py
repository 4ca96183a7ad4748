"""The triage session: agenda, decisions, minutes."""
