"""The Textual app: loading, saving, reports, and the one factory the CLI and tests share."""
