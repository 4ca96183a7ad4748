"""The portfolio file: TOML to model and back, errors with line and column, atomic saves."""

from portfolio.errors import LoadError, Problem, SaveError
from portfolio.load import load, loads
from portfolio.migrate import CURRENT
from portfolio.save import dumps, save
from portfolio.schema import json_schema

__all__ = [
    "CURRENT",
    "LoadError",
    "Problem",
    "SaveError",
    "dumps",
    "json_schema",
    "load",
    "loads",
    "save",
]
