"""Sending mail through SMTP when ``MAIL_SERVER`` is set; otherwise messages wait in the outbox
that administrators can read in the app.

Every connection that uses TLS (STARTTLS with ``MAIL_USE_TLS``, implicit TLS with ``MAIL_USE_SSL``)
verifies the server's certificate and host name, against the system's CAs or ``MAIL_CA_FILE``; a
server that cannot prove who it is never gets the SMTP password, and the message stays queued.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, cast

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from tracker.extensions import db
from tracker.models import OutboxMessage, utcnow
from tracker.textsafe import header_text, installation_host


def render(template_name: str, locale: str | None, /, **context: Any) -> tuple[str, str]:
    """Subject and body of the mail ``templates/email/<template_name>.txt`` (its ``subject`` and ``body``
    blocks), in the recipient's language (``locale``; the installation's default when None)."""
    with force_locale(locale or current_app.config.get("BABEL_DEFAULT_LOCALE") or "nl"):
        template = current_app.jinja_env.get_template(f"email/{template_name}.txt")
        variables = template.new_context(context)
        subject = "".join(template.blocks["subject"](variables)).strip()
        variables = template.new_context(context)
        body = "".join(template.blocks["body"](variables)).strip()
    return subject, body


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def tls_context() -> ssl.SSLContext:
    """A verifying TLS context: certificate chain and host name are checked."""
    context = ssl.create_default_context(cafile=current_app.config.get("MAIL_CA_FILE") or None)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def build(message: OutboxMessage) -> EmailMessage:
    """The e-mail for an outbox message. No header carries user text unencoded: the subject (made
    from names) and the address lose line breaks and control characters, and the default policy
    encodes the rest."""
    config = current_app.config
    email = EmailMessage()
    email["From"] = header_text(config.get("MAIL_FROM") or "betersamen@localhost")
    email["To"] = header_text(message.to_email)
    email["Subject"] = header_text(message.subject)
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = make_msgid(domain=installation_host(config))
    email.set_content(message.body)
    return email


def send(message: OutboxMessage) -> None:
    """Send one message through SMTP; raises on failure (including a certificate that does not
    verify, before any password is sent)."""
    config = current_app.config
    email = build(message)
    use_ssl = bool(config.get("MAIL_USE_SSL"))
    port = int(config.get("MAIL_PORT") or (465 if use_ssl else 25))
    smtp: smtplib.SMTP
    if use_ssl:
        smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], port, timeout=15, context=tls_context())
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], port, timeout=15)
    with smtp:
        if config.get("MAIL_USE_TLS") and not use_ssl:
            smtp.starttls(context=tls_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(email)


def claim(message_id: int) -> OutboxMessage | None:
    """Mark a queued message as being sent, atomically and committed, so two senders (the
    scheduled run and an immediate send, or two servers) never both send it. None when another
    sender has it already."""
    claimed = cast(
        "sa.CursorResult[Any]",
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
            .values(sent_at=utcnow())
        ),
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, message_id) if claimed else None


def deliver_claimed(message: OutboxMessage) -> bool:
    """Send a claimed message; a failure puts it back in the queue with its error (retried on the
    next run). The caller commits. Returns True when sent."""
    try:
        send(message)
    except Exception as exc:  # noqa: BLE001 - any delivery failure is retried on the next run
        message.sent_at = None
        message.error = f"{type(exc).__name__}: {exc}"[:500]
        current_app.logger.warning(
            "mail_failed message=%s error=%s detail=%s", message.id, type(exc).__name__, str(exc)[:200]
        )
        return False
    message.error = ""
    return True
