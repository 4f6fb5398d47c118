"""Command-line interface: accounts and the demo."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from tracker import dataversion, demo
from tracker.auth.services import AccountError, create_user, set_password, user_by_email
from tracker.backup import backup_sqlite
from tracker.evaluations.tasks import run_due
from tracker.extensions import db
from tracker.models import Trajectory
from tracker.notifications.commands import notifications
from tracker.search.commands import search
from tracker.transfer import ImportError_, import_trajectory, stream_trajectory


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Full name shown in the app.")
@click.option("--password", required=True, help="At least 12 characters.")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@with_appcontext
def create_user_command(email: str, name: str, password: str, admin: bool) -> None:
    """Create a user account."""
    try:
        user = create_user(email, name, password, is_admin=admin)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Gebruiker aangemaakt: {user.email}{' (beheerder)' if admin else ''}")


@click.command("set-password")
@click.argument("email")
@click.option("--password", required=True, help="At least 12 characters.")
@with_appcontext
def set_password_command(email: str, password: str) -> None:
    """Set a new password for a user (ends the user's sessions)."""
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    try:
        set_password(user, password)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Wachtwoord gewijzigd voor {user.email}")


@click.command("reset-2fa")
@click.argument("email")
@with_appcontext
def reset_2fa_command(email: str) -> None:
    """Turn off two-factor login for a user who lost their device (ends their sessions)."""
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"Geen gebruiker met e-mailadres {email}.")
    user.totp_secret = None
    user.end_sessions()
    db.session.commit()
    click.echo(f"Tweestapsverificatie uitgezet voor {user.email}; de gebruiker kan haar opnieuw instellen.")


@click.command("refresh-pages")
@with_appcontext
def refresh_pages_command() -> None:
    """Raise the data version: every server renders its cached pages afresh (after the database was
    changed by other means than the app)."""
    dataversion.mark_changed()
    db.session.commit()
    click.echo("Gegevensversie verhoogd: elke server maakt zijn pagina's opnieuw.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH (online backup, safe while the app writes)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "Deze installatie gebruikt geen SQLite-bestand. Maak voor PostgreSQL een back-up met "
            "pg_dump (zie de README)."
        )
    backup_sqlite(url.database, path)
    click.echo(f"Back-up geschreven naar {path}")


@click.command("export-trajectory")
@click.argument("trajectory_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(trajectory_id: int, path: Path) -> None:
    """Export one trajectory as JSON."""
    trajectory = db.session.get(Trajectory, trajectory_id)
    if trajectory is None:
        raise click.ClickException(f"Geen traject met nummer {trajectory_id}.")
    with path.open("wb") as out:
        out.writelines(stream_trajectory(trajectory, open_round_ballots=True))
    click.echo(f"Traject ‘{trajectory.name}’ geëxporteerd naar {path}")


@click.command("import-trajectory")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(path: Path) -> None:
    """Recreate a trajectory from a JSON export (from this or another installation)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        trajectory, created = import_trajectory(data)
    except (ValueError, ImportError_) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Traject ‘{trajectory.name}’ geïmporteerd als nummer {trajectory.id}.")
    for email in created:
        click.echo(
            f"  nieuw, nog niet actief account: {email} (activeer en zet een wachtwoord met set-password)"
        )


evaluations = AppGroup("evaluations", help="Evaluation rounds.")


@evaluations.command("run-due")
def run_due_command() -> None:
    """Open due rounds, queue and send invitations and reminders (idempotent; run it from cron)."""
    report = run_due()
    click.echo(
        f"Rondes geopend: {report.opened}; berichten klaargezet: {report.queued}; "
        f"verzonden: {report.sent}; mislukt (volgende keer opnieuw): {report.failed}"
    )


@click.command("seed-demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load the demo only when the database has no users; otherwise just print the logins.",
)
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the handreiking's case (bullying in a neighbourhood) as demo data."""
    state = demo.state()
    if state == "loaded":
        if if_empty:
            click.echo("De demo is al geladen.")
            demo.print_logins(click.echo)
            return
        raise click.ClickException("De demo is al geladen in deze database; er is niets gewijzigd.")
    if state == "other-data":
        if if_empty:
            click.echo("De database bevat al gegevens; de demo wordt niet geladen.")
            return
        raise click.ClickException(
            "De database bevat al gebruikers; de demo wordt alleen in een lege database geladen."
        )
    demo.load()
    db.session.commit()
    click.echo("Demo geladen: ‘Preventie van pesten in de Rivierenwijk’.")
    demo.print_logins(click.echo)


COMMANDS = (
    create_user_command,
    set_password_command,
    reset_2fa_command,
    backup_command,
    refresh_pages_command,
    export_command,
    import_command,
    evaluations,
    notifications,
    seed_demo_command,
    search,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
