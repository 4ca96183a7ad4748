"""The portfolio file: TOML to model and back, errors with line and column, atomic saves."""

from portfolio.errors import LoadError, LockBusyError, Problem, SaveError
from portfolio.load import load, loads
from portfolio.migrate import CURRENT
from portfolio.save import dumps, save
from portfolio.schema import json_schema
from portfolio.sync import CommitResult, Pending, Version, commit, read_version

__all__ = [
    "CURRENT",
    "CommitResult",
    "LoadError",
    "LockBusyError",
    "Pending",
    "Problem",
    "SaveError",
    "Version",
    "commit",
    "dumps",
    "json_schema",
    "load",
    "loads",
    "read_version",
    "save",
]
