"""Built-in plugin: email over SMTP (smtplib), for staff and citizens.

Configured in instance/config.py: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS
(STARTTLS), MAIL_USE_SSL (TLS from the first byte), MAIL_USERNAME,
MAIL_PASSWORD, MAIL_FROM.  Without MAIL_SERVER nothing is sent and the log
says so.
"""
import hashlib
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from portal import config
from portal.plugins.hookspecs import hookimpl

log = logging.getLogger("aduan.mail")


def message_id(key: str) -> str:
    """The same notification always carries the same Message-ID."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@aduan>"


def build_message(notification) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM") or "aduan@localhost"
    message["To"] = notification.recipient
    message["Subject"] = notification.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(notification.key)
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{notification.link}\n"
    message.set_content(body)
    return message


def send(message: EmailMessage) -> None:
    get = config.get
    server, port = get("MAIL_SERVER"), int(get("MAIL_PORT") or 25)
    timeout = float(get("MAIL_TIMEOUT") or 10)
    context = ssl.create_default_context()
    if config.flag(get("MAIL_USE_SSL")):
        smtp = smtplib.SMTP_SSL(server, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(server, port, timeout=timeout)
    with smtp:
        if config.flag(get("MAIL_USE_TLS")) and not config.flag(get("MAIL_USE_SSL")):
            smtp.starttls(context=context)
        if get("MAIL_USERNAME"):
            smtp.login(get("MAIL_USERNAME"), get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


@hookimpl
def aduan_notify(notification):
    if notification.channel != "email":
        return None
    if not config.get("MAIL_SERVER"):
        log.warning("MAIL_SERVER is not set: email %s to %s not sent",
                    notification.key, notification.recipient)
        return None
    if not notification.recipient:
        log.warning("email %s has no recipient address", notification.key)
        return None
    send(build_message(notification))
    return True
