"""Envelope encryption keys."""
import hashlib
import os
from functools import lru_cache

import httpx

KMS_URL = os.environ.get("KMS_URL", "https://kms.internal")
PBKDF2_ROUNDS = 600_000

_FINGERPRINTS: dict[bytes, str] = {}


def key_fingerprint(material: bytes) -> str:
    fp = _FINGERPRINTS.get(material)
    if fp is None:
        fp = hashlib.sha256(material).hexdigest()[:16]
        _FINGERPRINTS[material] = fp
    return fp


@lru_cache(maxsize=32)
async def load_signing_key(kid: str) -> bytes:
    async with httpx.AsyncClient(base_url=KMS_URL) as kms:
        resp = await kms.get(f"/keys/{kid}")
        resp.raise_for_status()
        return resp.content


async def derive_envelope_key(passphrase: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, PBKDF2_ROUNDS)
