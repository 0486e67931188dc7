import hashlib
import hmac
import secrets


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def verify_signature(secret: bytes, payload: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, payload), signature)


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)
