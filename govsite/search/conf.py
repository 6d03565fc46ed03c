"""The search's tunable figures, kept as data (data/search.toml)."""

import tomllib
from pathlib import Path

with open(Path(__file__).resolve().parent / "data" / "search.toml", "rb") as handle:
    SEARCH = tomllib.load(handle)
