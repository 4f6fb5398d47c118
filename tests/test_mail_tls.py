"""Mail to the SMTP server: TLS verifies certificate and host name before any password is sent;
every message has Date and Message-ID; a name with a line break never breaks a header."""

from __future__ import annotations

import pytest

from tracker.extensions import db

from .smtp_server import make_certificate, plain_server


def _mail_config(app, server, **extra):
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        MAIL_FROM="betersamen@example.org",
        MAIL_USERNAME="betersamen",
        MAIL_PASSWORD="geheim-wachtwoord",
        PUBLIC_URL="https://tracker.example.nl",
        **extra,
    )


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
@pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "trusted-ca-wrong-name"])
def test_tls_to_a_server_with_a_certificate_for_another_name_never_gets_the_password(
    app, world, servers, tmp_path, caplog, tls, trusted
):
    cert = make_certificate(tmp_path, "DNS:mail.elders.example")
    server = servers(tls, cert)
    _mail_config(
        app,
        server,
        MAIL_USE_TLS=tls == "starttls",
        MAIL_USE_SSL=tls == "ssl",
        MAIL_CA_FILE=cert[0] if trusted else None,
    )
    from tracker.evaluations.tasks import run_due
    from tracker.models import OutboxMessage

    report = run_due()
    assert report.sent == 0 and report.failed > 0
    assert server.logins == [] and server.received == []
    messages = db.session.scalars(db.select(OutboxMessage)).all()
    assert messages and all(m.sent_at is None and "certificate" in m.error.lower() for m in messages)
    assert "mail_failed" in caplog.text


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_tls_with_a_certificate_from_the_configured_ca_for_this_host_sends_with_date_and_message_id(
    app, world, servers, tmp_path, tls
):
    from email import message_from_string
    from email import policy as email_policy

    cert = make_certificate(tmp_path, "IP:127.0.0.1")
    server = servers(tls, cert)
    _mail_config(app, server, MAIL_USE_TLS=tls == "starttls", MAIL_USE_SSL=tls == "ssl", MAIL_CA_FILE=cert[0])
    from tracker.evaluations.tasks import run_due

    report = run_due()
    assert report.failed == 0 and report.sent == len(server.received) > 0
    assert server.logins and set(server.logins) == {"betersamen"}
    for _rcpts, content in server.received:
        message = message_from_string(content, policy=email_policy.default)
        assert message["Date"] and message["Date"].datetime is not None
        assert message["Message-ID"].strip("<>").endswith("@tracker.example.nl")


def test_a_trajectory_name_with_a_line_break_does_not_stop_the_invitations(app, world, servers):
    from email import message_from_string
    from email import policy as email_policy

    from tracker.evaluations.tasks import run_due
    from tracker.models import OutboxMessage

    world["a"].name = "Traject A\r\nBcc: buit@example.org"
    db.session.commit()
    server = plain_server(app, servers)
    report = run_due()
    assert report.failed == 0 and report.sent > 0
    # A message queued before this fix, with the raw name in its subject, goes out too.
    old = OutboxMessage(
        round_id=world["round"].id,
        membership_id=None,
        kind="invitation",
        to_email="oud@example.org",
        subject="Evaluatieronde — Traject\r\nBcc: buit@example.org",
        body="Tekst",
    )
    db.session.add(old)
    db.session.commit()
    assert run_due().sent == 1
    recipients = [r for rcpts, _ in server.received for r in rcpts]
    assert "buit@example.org" not in recipients and "oud@example.org" in recipients
    for _rcpts, content in server.received:
        message = message_from_string(content, policy=email_policy.default)
        assert message["Bcc"] is None and "\n" not in message["Subject"] and "\r" not in message["Subject"]
        assert message["Message-ID"] and message["Date"]
