"""Search API: queries, suggestions and indexing."""
import os

import httpx
from fastapi import FastAPI

from . import indexer, query

SEARCH_URL = os.environ.get("SEARCH_URL", "http://opensearch:9200")

app = FastAPI(title="Harbor Search")


@app.on_event("startup")
async def open_clients() -> None:
    app.state.engine = httpx.AsyncClient(base_url=SEARCH_URL, timeout=3.0)


@app.on_event("shutdown")
async def close_clients() -> None:
    await app.state.engine.aclose()


app.include_router(query.router)
app.include_router(indexer.router)
