import asyncio

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import User

PUSH_URL = "https://push.example.net/v1/messages"
MAX_IN_FLIGHT = 20


async def push(client: httpx.AsyncClient, token: str, message: str) -> bool:
    resp = await client.post(PUSH_URL, json={"to": token, "notification": {"body": message}})
    return resp.status_code == 202


async def notify_many(client: httpx.AsyncClient, tokens: list[str], message: str) -> int:
    results = await asyncio.gather(*(push(client, t, message) for t in tokens))
    return sum(results)


async def _opted_in_tokens(session: AsyncSession) -> list[str]:
    rows = await session.execute(
        select(User.device_token).where(
            User.marketing_opt_in.is_(True), User.device_token.is_not(None)
        )
    )
    return list(rows.scalars().all())


async def broadcast(session: AsyncSession, client: httpx.AsyncClient, message: str) -> int:
    tokens = (
        await session.execute(
            select(User.device_token).where(
                User.marketing_opt_in.is_(True), User.device_token.is_not(None)
            )
        )
    ).scalars().all()
    async with asyncio.TaskGroup() as tg:
        for token in tokens:
            tg.create_task(push(client, token, message))
    return len(tokens)


async def broadcast_throttled(session: AsyncSession, client: httpx.AsyncClient, message: str) -> int:
    tokens = await _opted_in_tokens(session)
    sem = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def send_one(token: str) -> bool:
        async with sem:
            return await push(client, token, message)

    results = await asyncio.gather(*(send_one(t) for t in tokens))
    return sum(results)
