"""Document indexing."""
import asyncio

from fastapi import APIRouter, Request
from pydantic import BaseModel
from redis import asyncio as aioredis

router = APIRouter(prefix="/index", tags=["index"])

SHARDS = ("docs-0", "docs-1", "docs-2", "docs-3")

index_queue = aioredis.from_url("redis://search-cache:6379/2")
PENDING = {"docs": 0, "batches": 0}


class Doc(BaseModel):
    id: str
    title: str
    body: str


class DocBatch(BaseModel):
    docs: list[Doc]


async def _enqueue(docs: list[Doc]) -> int:
    if not docs:
        return 0
    await index_queue.rpush("index:queue", *(d.model_dump_json() for d in docs))
    return len(docs)


async def _rebuild_all() -> None:
    while raw := await index_queue.lpop("index:rebuild"):
        await index_queue.rpush("index:queue", raw)


async def _compact_segments() -> dict:
    merged = await index_queue.incr("index:compactions")
    return {"compactions": merged}


async def _warm(client, shard: str) -> None:
    await client.post(f"/{shard}/_cache/warm")


@router.post("/docs", status_code=202)
async def index_docs(batch: DocBatch):
    PENDING["docs"] += await _enqueue(batch.docs)
    PENDING["batches"] = PENDING["batches"] + 1
    return dict(PENDING)


@router.post("/rebuild", status_code=202)
async def rebuild():
    asyncio.ensure_future(_rebuild_all())
    return {"rebuild": "started"}


@router.post("/compact")
async def compact():
    return asyncio.run(_compact_segments())


@router.post("/warm")
async def warm(request: Request):
    async with asyncio.TaskGroup() as tg:
        for shard in SHARDS:
            tg.create_task(_warm(request.app.state.engine, shard))
    return {"warmed": list(SHARDS)}


@router.post("/flush")
async def flush():
    drained = await index_queue.delete("index:queue")
    PENDING["docs"] = 0
    return {"drained": drained}


if __name__ == "__main__":
    asyncio.run(_rebuild_all())
