"""The editor's fields as data: which values a project and its items have, and their help texts."""
