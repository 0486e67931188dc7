import smtplib
import ssl
from email.message import EmailMessage

from .config import get_settings

_TLS = ssl.create_default_context()


def render_body(template: str, context: dict) -> str:
    return template.format_map(context)


def build_message(to: str, subject: str, body: str, sender: str = "noreply@harbor.dev") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def send_mail(to: str, subject: str, body: str) -> None:
    msg = build_message(to, subject, body)
    with smtplib.SMTP(get_settings().smtp_host, 587, timeout=10) as smtp:
        smtp.starttls(context=_TLS)
        smtp.send_message(msg)


def send_batch(recipients: list[str], subject: str, template: str, context: dict) -> int:
    sent = 0
    for rcpt in recipients:
        send_mail(rcpt, subject, render_body(template, {**context, "email": rcpt}))
        sent += 1
    return sent
