import asyncio

import anyio
import httpx
from fastapi import APIRouter, Depends
from sqlmodel import Session, select

from ..db import get_session
from ..deps import get_http
from ..models import Subscriber
from ..schemas import EventIn, ReplayRequest, Target
from ..services.webhooks import deliver

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post("/events", status_code=202)
async def publish(
    event: EventIn,
    session: Session = Depends(get_session),
    client: httpx.AsyncClient = Depends(get_http),
):
    subscribers = session.exec(select(Subscriber).where(Subscriber.topic == event.topic)).all()
    tasks = []
    for sub in subscribers:
        tasks.append(asyncio.create_task(deliver(client, sub.url, sub.secret, event.model_dump())))
    if not tasks:
        return {"delivered": 0, "subscribers": 0}
    done, _ = await asyncio.wait(tasks)
    return {"delivered": sum(1 for t in done if t.result()), "subscribers": len(tasks)}


@router.post("/events/ordered", status_code=202)
async def publish_ordered(
    event: EventIn,
    session: Session = Depends(get_session),
    client: httpx.AsyncClient = Depends(get_http),
):
    subscribers = session.exec(select(Subscriber).where(Subscriber.topic == event.topic)).all()
    delivered = 0
    for sub in subscribers:
        if await deliver(client, sub.url, sub.secret, event.model_dump()):
            delivered += 1
    return {"delivered": delivered, "subscribers": len(subscribers)}


@router.post("/replay")
async def replay(body: ReplayRequest, client: httpx.AsyncClient = Depends(get_http)):
    sem = asyncio.Semaphore(10)

    async def limited(coro):
        async with sem:
            return await coro

    results = await asyncio.gather(
        *(limited(deliver(client, str(t.url), t.secret, body.payload)) for t in body.targets)
    )
    return {"delivered": sum(results), "targets": len(body.targets)}


@router.post("/redeliver")
async def redeliver(body: ReplayRequest, client: httpx.AsyncClient = Depends(get_http)):
    limiter = anyio.CapacityLimiter(8)
    failed: list[str] = []

    async def one(target: Target) -> None:
        async with limiter:
            if not await deliver(client, str(target.url), target.secret, body.payload):
                failed.append(str(target.url))

    async with anyio.create_task_group() as tg:
        for target in body.targets:
            tg.start_soon(one, target)
    return {"failed": failed}
