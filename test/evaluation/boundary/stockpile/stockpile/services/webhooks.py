import hashlib
import hmac
import json
from typing import Any

import httpx


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def deliver(client: httpx.AsyncClient, url: str, secret: str, payload: dict[str, Any]) -> bool:
    body = json.dumps(payload, separators=(",", ":"), default=str).encode()
    try:
        resp = await client.post(
            url,
            content=body,
            headers={"Content-Type": "application/json", "X-Stockpile-Signature": sign(secret, body)},
        )
    except httpx.HTTPError:
        return False
    return resp.is_success
