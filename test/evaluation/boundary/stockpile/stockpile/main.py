from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from .db import engine
from .routers import imports, inventory, orders, webhooks


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with httpx.AsyncClient(timeout=20.0) as client:
        app.state.http = client
        yield
    engine.dispose()


app = FastAPI(title="stockpile", lifespan=lifespan)
app.include_router(inventory.router)
app.include_router(orders.router)
app.include_router(imports.router)
app.include_router(webhooks.router)
