"""A real SMTP server (aiosmtpd) for mail tests, optionally with STARTTLS or implicit TLS and a
self-signed certificate made with openssl."""

from __future__ import annotations

import pytest

from .conftest import skip_or_fail


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certificate(directory, subject_alt_name: str) -> tuple[str, str]:
    """A self-signed certificate (and its key) for ``subject_alt_name``, made with openssl."""
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        skip_or_fail("openssl is needed to make a test certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=test",
            "-addext",
            f"subjectAltName={subject_alt_name}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


class _Server:
    """A real SMTP server (aiosmtpd) that records messages and log-ins; AUTH is offered without
    TLS too, so a client that went on after a failed TLS handshake would be seen logging in."""

    def __init__(self, tls: str | None = None, cert: tuple[str, str] | None = None):
        import ssl

        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.received: list[tuple[list[str], str]] = []
        self.logins: list[str] = []
        received, logins = self.received, self.logins

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            logins.append(auth_data.login.decode())
            return AuthResult(success=True)

        context = None
        if cert:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*cert)
        self.port = _free_port()
        kwargs = {"tls_context": context} if tls == "starttls" else {"ssl_context": context}
        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticator,
            auth_require_tls=False,
            **kwargs,
        )
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def servers():
    started = []

    def start(*args, **kwargs) -> _Server:
        server = _Server(*args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def plain_server(app, servers):
    server = servers()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_FROM="betersamen@example.org")
    return server
