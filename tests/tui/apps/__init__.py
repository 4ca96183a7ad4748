"""Tiny apps built by factories for Pilot and snapshot tests."""
