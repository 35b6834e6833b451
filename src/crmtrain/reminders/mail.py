"""Letters as email (plain text plus HTML), sent over one SMTP session with smtplib.

The session uses STARTTLS whenever the server offers it (port 465: TLS from the start) and
logs in when the server offers AUTH and a user is set; certificates are checked against the
system's store (``SSL_CERT_FILE`` names another). Each letter is sent on its own: a refused
recipient or a failed message is returned with the server's reason and the others still go.
"""

from __future__ import annotations

import functools
import html
import os
import smtplib
import socket
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from ..errors import UserError
from ..i18n import _
from .letters import Letter
from .settings import MailSettings

TIMEOUT_S = 30


def text_of(letter: Letter) -> str:
    """The letter as plain text."""
    parts = [letter.greeting, ""]
    for heading, lines in letter.sections:
        parts += [heading + ":", *(f"  - {line}" for line in lines), ""]
    parts += [*letter.closing]
    return "\n".join(parts).rstrip() + "\n"


def html_of(letter: Letter, lang: str) -> str:
    """The letter as a small HTML page; every name and title in it is escaped."""
    e = html.escape
    body = [f"<p>{e(letter.greeting)}</p>"]
    for heading, lines in letter.sections:
        body.append(f"<h3>{e(heading)}</h3>\n<ul>\n" + "".join(f"<li>{e(line)}</li>\n" for line in lines) + "</ul>")
    body += [f"<p>{e(line)}</p>" for line in letter.closing]
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head><meta charset="utf-8"><title>{e(letter.subject)}</title>'
            "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def message_of(letter: Letter, sender: str, lang: str) -> EmailMessage:
    """The letter as a multipart/alternative email from ``sender``."""
    msg = EmailMessage()
    msg["Subject"] = letter.subject
    name, address = parseaddr(sender)
    msg["From"] = formataddr((name, address)) if name else address
    msg["To"] = str(Address(display_name=letter.name, addr_spec=letter.to)) if letter.name else letter.to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    msg.set_content(text_of(letter))
    msg.add_alternative(html_of(letter, lang), subtype="html")
    msg["Content-Language"] = lang  # after the parts are made: Content-* headers would move into the first
    return msg


@functools.lru_cache(maxsize=4)
def _context(cafile: str | None) -> ssl.SSLContext:
    """The system's certificate store (or SSL_CERT_FILE's), loaded once: it takes a few hundred ms."""
    return ssl.create_default_context()


def _connect(settings: MailSettings) -> smtplib.SMTP:
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.port == 465:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S,
                                                  context=_context(os.environ.get("SSL_CERT_FILE")))
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
        smtp.ehlo()
        if settings.port != 465 and smtp.has_extn("starttls"):
            smtp.starttls(context=_context(os.environ.get("SSL_CERT_FILE")))
            smtp.ehlo()
        if smtp.has_extn("auth") and settings.user:
            smtp.login(settings.user, settings.password() or "")
    except smtplib.SMTPAuthenticationError as exc:
        raise UserError(_("the mail server {server} refused the login of {user}: {reason}").format(
            server=where, user=settings.user, reason=_reason(exc))) from None
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        raise UserError(_("cannot send mail through {server}: {reason}").format(server=where, reason=_reason(exc))) from None
    return smtp


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(_reason(smtplib.SMTPResponseException(c, m)) for c, m in exc.recipients.values())
    if isinstance(exc, socket.timeout):
        return _("no answer in {n} s").format(n=TIMEOUT_S)
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def send(settings: MailSettings, messages: list[tuple[Letter, EmailMessage]]) -> dict[str, str]:
    """Send each message; ``{letter key: the reason}`` for those that were not delivered.

    A server that cannot be reached (or refuses the login) fails them all, with its reason.
    """
    if not messages:
        return {}
    try:
        smtp = _connect(settings)
    except UserError as exc:
        return {letter.key: str(exc) for letter, _msg in messages}
    failed: dict[str, str] = {}
    try:
        for i, (letter, msg) in enumerate(messages):
            try:
                smtp.send_message(msg)
            except smtplib.SMTPServerDisconnected as exc:
                failed[letter.key] = _reason(exc)
                try:
                    smtp = _connect(settings)  # one reconnect, then the rest go through it
                except UserError as again:
                    failed.update({other.key: str(again) for other, _m in messages[i + 1:]})
                    return failed
            except (smtplib.SMTPException, OSError) as exc:
                failed[letter.key] = _reason(exc)
                _reset(smtp)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return failed


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except (smtplib.SMTPException, OSError):
        pass
