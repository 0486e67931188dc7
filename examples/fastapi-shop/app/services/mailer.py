"""Transactional email over SMTP. Everything here is synchronous and blocks while the SMTP
server answers, so async code must run it in a thread (see routers/orders.py)."""

import smtplib
from email.message import EmailMessage

from app.config import get_settings

settings = get_settings()


def build_receipt(email: str, order_id: int, total_cents: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = email
    message["Subject"] = f"Your order #{order_id}"
    message.set_content(f"Thank you for your order. Total: {total_cents / 100:.2f} EUR.")
    return message


def _deliver(message: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def send_receipt_email(email: str, order_id: int, total_cents: int) -> None:
    _deliver(build_receipt(email, order_id, total_cents))
