"""Per-request dependencies. Shared clients live on app.state (created in the lifespan); these
functions hand them out, and open one database session per request."""

import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

import httpx
from fastapi import Cookie, Depends, HTTPException, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.db import ReportSession
from app.services.payments import PaymentGateway


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    # A session per request is the design: sessions are cheap and not safe to share. The engine
    # and its pool behind the sessionmaker are created once, in the lifespan.
    async with request.app.state.sessionmaker() as session:
        yield session


def get_report_session() -> Iterator[Session]:
    with ReportSession() as session:
        yield session


def get_http(request: Request) -> httpx.AsyncClient:
    return request.app.state.http


def get_redis(request: Request) -> Redis:
    return request.app.state.redis


def get_gateway(request: Request) -> PaymentGateway:
    return request.app.state.gateway


def session_key(token: str) -> str:
    # A fast hash is right for a random token (bcrypt is for low-entropy passwords), and cheap
    # enough to run on the event loop.
    return "session:" + hashlib.sha256(token.encode()).hexdigest()


async def current_customer(
    redis: Annotated[Redis, Depends(get_redis)],
    session_token: Annotated[str | None, Cookie(alias="session")] = None,
) -> int:
    customer_id = await redis.get(session_key(session_token)) if session_token else None
    if customer_id is None:
        raise HTTPException(401, "not logged in")
    return int(customer_id)


SessionDep = Annotated[AsyncSession, Depends(get_session)]
ReportSessionDep = Annotated[Session, Depends(get_report_session)]
HttpDep = Annotated[httpx.AsyncClient, Depends(get_http)]
RedisDep = Annotated[Redis, Depends(get_redis)]
GatewayDep = Annotated[PaymentGateway, Depends(get_gateway)]
CustomerDep = Annotated[int, Depends(current_customer)]
