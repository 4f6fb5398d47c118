"""User text on its way out of the app: into spreadsheets, calendars and mail headers.

One place decides which characters a writer may emit, so that a control character pasted from a
word processor (``\\x0b``) cannot make an XLSX export fail, put raw control characters in the
iCalendar feed (RFC 5545 forbids them) or break a mail header.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# Not allowed in XML 1.0 (so not in XLSX) nor in iCalendar TEXT: C0 controls other than tab and
# newline, DEL, lone surrogates and the non-characters U+FFFE/U+FFFF. Carriage returns are folded
# into newlines by ``clean_text``.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# In a header line nothing may break the line: every control character, and the Unicode line and
# paragraph separators and next-line character.
_HEADER_BREAKS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff]+")


def clean_text(value):
    """``value`` without characters that XLSX, CSV or iCalendar writers may not emit; CR LF and
    lone CR become LF. Anything that is not a string is returned unchanged."""
    if not isinstance(value, str):
        return value
    return _ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def header_text(value: str | None) -> str:
    """One line of text for a mail header: line breaks and control characters become a space."""
    return " ".join(_HEADER_BREAKS.sub(" ", value or "").split())


def _is_local(host: str) -> bool:
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def installation_host(config) -> str:
    """The host name of this installation, for calendar UIDs and mail Message-IDs: the host of
    ``PUBLIC_URL``; when that is a local address, the domain of ``MAIL_FROM`` if it has a real one."""
    public = (urlsplit(config.get("PUBLIC_URL") or "").hostname or "").lower()
    mail_from = (config.get("MAIL_FROM") or "").rpartition("@")[2].strip(" >").lower()
    if _is_local(public) and mail_from and not _is_local(mail_from):
        return mail_from
    return public or mail_from or "localhost"
