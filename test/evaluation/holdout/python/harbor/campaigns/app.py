"""Email campaigns service."""
import httpx
from fastapi import FastAPI
from redis import asyncio as aioredis

from harbor.common.config import get_settings

from . import sends, unsubscribe

app = FastAPI(title="Harbor Campaigns")


@app.on_event("startup")
async def connect() -> None:
    app.state.redis = aioredis.from_url(get_settings().redis_url, decode_responses=True)
    app.state.tracker = httpx.AsyncClient(base_url="https://track.harbor.dev", timeout=5.0)


@app.on_event("shutdown")
async def disconnect() -> None:
    await app.state.tracker.aclose()


app.include_router(sends.router, prefix="/campaigns")
app.include_router(unsubscribe.router)
