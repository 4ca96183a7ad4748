"""The project editor: its screen, rows and item forms."""
