"""Every mail the app sends goes one way: :func:`queue` (or :func:`compose`) renders it from
``templates/email/<name>.txt`` (subject and text) and ``templates/email/<name>.html`` (the HTML
part) in the recipient's language and stores it in the outbox; it is then sent through SMTP when
``MAIL_SERVER`` is set (:func:`deliver_now` at once, or the scheduled ``flask evaluations run-due``),
as one multipart message built by :func:`build`. Without a server, messages wait in the outbox
that administrators can read in the app.

Every connection that uses TLS (STARTTLS with ``MAIL_USE_TLS``, implicit TLS with ``MAIL_USE_SSL``)
verifies the server's certificate and host name, against the system's CAs or ``MAIL_CA_FILE``; a
server that cannot prove who it is never gets the SMTP password, and the message stays queued.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, cast
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Response, current_app
from flask_babel import force_locale

from tracker.extensions import db
from tracker.models import OutboxMessage, utcnow
from tracker.textsafe import clean_text, header_text, installation_host


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template_name: str, locale: str | None, /, **context: Any) -> Rendered:
    """The mail ``templates/email/<template_name>``: subject and text from the ``subject`` and
    ``body`` blocks of its ``.txt``, the HTML part from its ``.html`` (which extends
    ``email/_layout.html``), in the recipient's language (``locale``; the installation's default
    when None)."""
    lang = locale or current_app.config.get("BABEL_DEFAULT_LOCALE") or "nl"
    env = current_app.jinja_env
    with force_locale(lang):
        text = env.get_template(f"email/{template_name}.txt")
        subject = "".join(text.blocks["subject"](text.new_context(context))).strip()
        body = "".join(text.blocks["body"](text.new_context(context))).strip()
        html = env.get_template(f"email/{template_name}.html").render(context, subject=subject, lang=lang)
    return Rendered(subject, body, html)


def absolute_url(endpoint: str, /, **values: Any) -> str:
    """An absolute link for a mail, on the configured ``PUBLIC_URL`` (never on a request's Host
    header), with or without a request."""
    public = urlsplit(current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def compose(
    template_name: str,
    to_email: str,
    locale: str | None,
    /,
    *,
    kind: str,
    round_id: int | None = None,
    membership_id: int | None = None,
    **context: Any,
) -> OutboxMessage:
    """The outbox message for one mail (not yet added to the session). Names are user text: the
    subject is one line within the column's length (a name with CR/LF must not make every send
    fail), and the parts lose control characters."""
    rendered = render(template_name, locale, **context)
    return OutboxMessage(
        round_id=round_id,
        membership_id=membership_id,
        kind=kind,
        to_email=to_email,
        subject=header_text(rendered.subject)[:300],
        body=clean_text(rendered.text),
        html=clean_text(rendered.html),
    )


def queue(
    template_name: str, to_email: str, locale: str | None, /, *, kind: str, **context: Any
) -> OutboxMessage:
    """Compose a mail and put it in the outbox (flushed; the view commits, then calls
    :func:`deliver_now`)."""
    message = compose(template_name, to_email, locale, kind=kind, **context)
    db.session.add(message)
    db.session.flush()
    return message


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def tls_context() -> ssl.SSLContext:
    """A verifying TLS context: certificate chain and host name are checked."""
    context = ssl.create_default_context(cafile=current_app.config.get("MAIL_CA_FILE") or None)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def build(message: OutboxMessage) -> EmailMessage:
    """The e-mail for an outbox message: text and (when there is one) HTML as alternatives, marked
    as sent by a machine (``Auto-Submitted``, so that vacation responders stay quiet). No header
    carries user text unencoded: the subject (made from names) and the address lose line breaks
    and control characters, and the default policy encodes the rest."""
    config = current_app.config
    email = EmailMessage()
    email["From"] = header_text(config.get("MAIL_FROM") or "betersamen@localhost")
    email["To"] = header_text(message.to_email)
    email["Subject"] = header_text(message.subject)
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = make_msgid(domain=installation_host(config))
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    if message.html:
        email.add_alternative(message.html, subtype="html")
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


def deliver_now(message_id: int, secret: str | None = None) -> None:
    """Send a queued message at once when SMTP is configured (after the view's commit); claim it
    first, as the scheduled sender does. A ``secret`` (the token of a single-use link) is removed
    from the stored copy once it is delivered. A failure leaves the message queued for the next
    ``flask evaluations run-due``."""
    if not smtp_configured():
        return
    message = claim(message_id)
    if message is None:
        return
    if deliver_claimed(message) and secret:
        message.body = message.body.replace(secret, "…")
        message.html = message.html.replace(secret, "…")
    db.session.commit()


def deliver_after(response: Response, message_id: int, secret: str | None = None) -> Response:
    """Deliver a queued message (as :func:`deliver_now`) once the response has been sent, when
    the server closes it: the SMTP server's time then does not show in how long the page took
    (for a page that answers the same whether or not an account exists)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        with app.app_context():
            try:
                deliver_now(message_id, secret)
            except Exception:  # noqa: BLE001 - after the response nobody else would see it
                app.logger.exception("mail_failed message=%s", message_id)

    response.call_on_close(deliver)
    return response
