"""Refresh-token rotation and password-reset codes."""
import secrets
import time

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from .jwt_tools import issue_access_token, issue_refresh_token, verify_refresh_token
from .mailer import mailer
from .users import users_repo

router = APIRouter(prefix="/auth")

RESET_TTL = 15 * 60
_used_refresh_jti: set[str] = set()
_reset_codes: dict[str, tuple[str, float]] = {}


class RefreshIn(BaseModel):
    refresh_token: str


@router.post("/refresh")
async def refresh(body: RefreshIn):
    claims = verify_refresh_token(body.refresh_token)
    if claims["jti"] in _used_refresh_jti:
        raise HTTPException(401, "refresh token already used")
    user = await users_repo.get(claims["sub"])
    if user is None or user.disabled:
        raise HTTPException(401, "account unavailable")
    _used_refresh_jti.add(claims["jti"])
    return {"access_token": issue_access_token(user), "refresh_token": issue_refresh_token(user)}


@router.post("/password-reset")
async def request_reset(email: str):
    user = await users_repo.by_email(email)
    if user is not None:
        code = f"{secrets.randbelow(10**6):06d}"
        _reset_codes[email] = (code, time.time() + RESET_TTL)
        await mailer.send(email, "Your password reset code", f"Code: {code}")
    return {"sent": True}


@router.post("/password-reset/confirm")
async def confirm_reset(email: str, code: str, new_password: str):
    entry = _reset_codes.pop(email, None)
    if entry is None or entry[1] < time.time() or not secrets.compare_digest(entry[0], code):
        raise HTTPException(400, "invalid or expired code")
    await users_repo.set_password(email, new_password)
    return {"ok": True}
