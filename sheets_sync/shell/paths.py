"""Paths as the person at the terminal would type them."""

from __future__ import annotations

from pathlib import Path


def shown(path: Path) -> str:
    """A path as short as it can be said from here: relative when under the current folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
