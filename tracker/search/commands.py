"""``flask search rebuild``: write the whole search index again from the records."""

from __future__ import annotations

import click

from tracker.extensions import db
from tracker.search import index

search = click.Group("search", help="The search index.")


@search.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index (after restoring a backup or changing what is indexed)."""
    count = index.rebuild()
    db.session.commit()
    click.echo(f"Zoekindex opnieuw opgebouwd: {count} onderdelen.")
