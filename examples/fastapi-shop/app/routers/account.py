"""Customer registration and login. Sessions live in Redis, shared by every worker."""

import secrets
from typing import Annotated

import bcrypt
from fastapi import APIRouter, Cookie, HTTPException, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import Customer
from app.deps import RedisDep, SessionDep, session_key
from app.schemas import Credentials

router = APIRouter(prefix="/account", tags=["account"])

SESSION_TTL = 14 * 24 * 3600
# Hashed once per process at import, before the server accepts requests.
UNKNOWN_USER_HASH = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt())


@router.post("/register", status_code=201)
async def register(credentials: Credentials, session: SessionDep) -> dict[str, int]:
    # bcrypt takes a few hundred milliseconds of CPU by design; in the threadpool it does not
    # hold up other requests.
    password_hash = await run_in_threadpool(bcrypt.hashpw, credentials.password.encode(), bcrypt.gensalt())
    customer = Customer(email=credentials.email, password_hash=password_hash.decode())
    session.add(customer)
    try:
        await session.commit()
    except IntegrityError:
        raise HTTPException(409, "an account with this email exists") from None
    return {"id": customer.id}


@router.post("/login")
async def login(
    credentials: Credentials, response: Response, session: SessionDep, redis: RedisDep
) -> dict[str, bool]:
    customer = await session.scalar(select(Customer).where(Customer.email == credentials.email))
    # Unknown emails are checked against a dummy hash so that both cases take equally long.
    stored = customer.password_hash.encode() if customer else UNKNOWN_USER_HASH
    # The same few hundred milliseconds, here on the event loop: during a login burst every
    # other request on this worker queues behind the password checks.
    password_ok = bcrypt.checkpw(credentials.password.encode(), stored)  # expect: IL203
    if customer is None or not password_ok:
        raise HTTPException(401, "wrong email or password")
    token = secrets.token_urlsafe(32)
    await redis.set(session_key(token), customer.id, ex=SESSION_TTL)
    response.set_cookie("session", token, max_age=SESSION_TTL, httponly=True, secure=True, samesite="lax")
    return {"ok": True}


@router.post("/logout", status_code=204)
async def logout(
    redis: RedisDep, session_token: Annotated[str | None, Cookie(alias="session")] = None
) -> None:
    if session_token:
        await redis.delete(session_key(session_token))
