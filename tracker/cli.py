"""Command-line interface: accounts and the demo."""

from __future__ import annotations

import click
from flask import Flask

from tracker.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True, help="Full name shown in the app.")
    @click.option("--password", required=True, help="At least 12 characters.")
    @click.option("--admin", is_flag=True, help="Make the user an administrator.")
    def create_user_command(email: str, name: str, password: str, admin: bool) -> None:
        """Create a user account."""
        from tracker.auth.services import AccountError, create_user

        try:
            user = create_user(email, name, password, is_admin=admin)
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        click.echo(f"Gebruiker aangemaakt: {user.email}{' (beheerder)' if admin else ''}")

    @app.cli.command("set-password")
    @click.argument("email")
    @click.option("--password", required=True, help="At least 12 characters.")
    def set_password_command(email: str, password: str) -> None:
        """Set a new password for a user (ends the user's sessions)."""
        from tracker.auth.services import AccountError, set_password, user_by_email

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

    @app.cli.command("seed-demo")
    @click.option(
        "--if-empty",
        is_flag=True,
        help="Load the demo only when the database has no users; otherwise just print the logins.",
    )
    def seed_demo_command(if_empty: bool) -> None:
        """Load the handreiking's case (bullying in a neighbourhood) as demo data."""
        from tracker import demo

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
