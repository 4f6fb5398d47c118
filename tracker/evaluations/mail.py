"""Sending mail through SMTP when ``MAIL_SERVER`` is set; otherwise messages wait in the outbox
that administrators can read in the app."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from tracker.models import OutboxMessage


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(message: OutboxMessage) -> None:
    """Send one message through SMTP; raises on failure."""
    config = current_app.config
    email = EmailMessage()
    email["From"] = config.get("MAIL_FROM", "betersamen@localhost")
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email.set_content(message.body)
    port = int(config.get("MAIL_PORT") or 25)
    with smtplib.SMTP(config["MAIL_SERVER"], port, timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(email)
