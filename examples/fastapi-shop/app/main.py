"""The application: routers, and the lifespan that opens (and should close) shared clients."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app import background
from app.config import get_settings
from app.routers import account, admin, cart, catalog, orders, ws
from app.services.payments import PaymentGateway

logger = logging.getLogger("shop")
settings = get_settings()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Runs once per worker process at startup; the code after `yield` runs at shutdown.
    engine = create_async_engine(settings.database_url, pool_size=10, max_overflow=5)
    app.state.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
    # Opened here and closed nowhere (compare the engine, disposed in `finally` below): every
    # shutdown and every reload leaves the Redis pool's connections open.
    app.state.redis = Redis.from_url(settings.redis_url, decode_responses=True)  # expect: IL301
    async with (
        httpx.AsyncClient(timeout=10) as http,
        httpx.AsyncClient(base_url=settings.payments_url, timeout=20) as payments_http,
    ):
        app.state.http = http
        app.state.gateway = PaymentGateway(payments_http, settings.payments_api_key)
        logger.info("shop started (%s)", settings.environment)
        try:
            yield
        finally:
            await background.drain(timeout=5)
            await engine.dispose()


app = FastAPI(title="Shop", lifespan=lifespan)
for module in (account, cart, catalog, orders, admin, ws):
    app.include_router(module.router)


@app.on_event("startup")  # expect: IL303
async def warm_up() -> None:
    # Deprecated, and never called here: Starlette ignores startup/shutdown hooks when the app
    # has a lifespan. Work that must run at startup belongs in `lifespan` above.
    async with httpx.AsyncClient(base_url=settings.recommendations_url) as client:
        await client.post("/warm")
