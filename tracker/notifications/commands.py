"""``flask notifications send-due``: notification mails and the weekly overview."""

from __future__ import annotations

import click

from tracker.notifications.sending import send_due

notifications = click.Group("notifications", help="Notifications by mail.")


@notifications.command("send-due")
def send_due_command() -> None:
    """Queue and send the notification mails and the weekly overviews (idempotent; run it from cron)."""
    report = send_due()
    click.echo(
        f"Meldingen klaargezet: {report.batches}; weekoverzichten: {report.digests}; "
        f"verzonden: {report.sent}; mislukt (volgende keer opnieuw): {report.failed}"
    )
