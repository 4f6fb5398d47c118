"""Backups of a SQLite database (PostgreSQL installations use pg_dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup_sqlite(database_path: str, target: Path) -> None:
    """SQLite's online backup: a consistent copy, safe while the app keeps writing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
