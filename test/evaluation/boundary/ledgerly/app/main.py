from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from .db import engine
from .routers import loyalty, quota, wallets


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0)) as client:
        app.state.http = client
        yield
    await engine.dispose()


app = FastAPI(title="ledgerly", lifespan=lifespan)
app.include_router(wallets.router)
app.include_router(loyalty.router)
app.include_router(quota.router)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
