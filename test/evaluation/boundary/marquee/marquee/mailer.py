import os

import httpx

MAIL_API = "https://api.postmark.example/email"
SENDER = "tickets@marquee.example"


async def send_email(client: httpx.AsyncClient, to: str, subject: str, text: str) -> bool:
    resp = await client.post(
        MAIL_API,
        json={"From": SENDER, "To": to, "Subject": subject, "TextBody": text},
        headers={"X-Server-Token": os.environ.get("MAIL_TOKEN", "")},
    )
    return resp.status_code == 200
