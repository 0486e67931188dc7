"""LLM gateway: API keys, budgets and upstream routing."""
import asyncio
import hashlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import lru_cache

import httpx
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from openai import AsyncOpenAI
from pydantic import BaseModel

from . import proxy
from .tokens import count_tokens, truncate

KEY_SALT = os.environ.get("GATEWAY_KEY_SALT", "dev-salt").encode()
ALLOWED_KEYS = frozenset(filter(None, os.environ.get("GATEWAY_KEY_DIGESTS", "").split(",")))
PRICES: dict[str, float] = {}


def _refresh_prices(stop: threading.Event) -> None:
    while not stop.wait(300):
        PRICES.update({"gpt-4o-mini": 0.15, "local": 0.0})


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.tokenizer_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tokenizer")
    app.state.usage = {}
    app.state.tokens_used = 0
    stop = threading.Event()
    refresher = threading.Thread(target=_refresh_prices, args=(stop,), name="price-refresher", daemon=True)
    refresher.start()
    async with AsyncOpenAI(base_url=os.environ.get("UPSTREAM_URL"), api_key=os.environ.get("UPSTREAM_KEY", "")) as upstream:
        async with httpx.AsyncClient(base_url=os.environ.get("BILLING_URL", "http://billing.internal")) as billing:
            app.state.upstream = upstream
            app.state.billing = billing
            yield
    stop.set()
    await asyncio.to_thread(refresher.join, 5)


app = FastAPI(title="LLM Gateway", lifespan=lifespan)
app.include_router(proxy.router)


class ChatRequest(BaseModel):
    model: str
    messages: list[dict]
    max_tokens: int | None = None


class EmbeddingRequest(BaseModel):
    model: str
    input: list[str]


class ModerationRequest(BaseModel):
    input: str


class BatchRequest(BaseModel):
    requests: list[ChatRequest]


async def api_key(authorization: str = Header(...)) -> str:
    key = authorization.removeprefix("Bearer ").strip()
    digest = hashlib.scrypt(key.encode(), salt=KEY_SALT, n=2**14, r=8, p=1).hex()
    if digest not in ALLOWED_KEYS:
        raise HTTPException(status_code=401)
    return digest


@app.middleware("http")
async def timing(request: Request, call_next):
    request.state.started = time.perf_counter()
    response = await call_next(request)
    request.state.elapsed = time.perf_counter() - request.state.started
    response.headers["x-gateway-ms"] = f"{request.state.elapsed * 1000:.1f}"
    return response


@lru_cache()
async def list_upstream_models(client: AsyncOpenAI) -> list[str]:
    page = await client.models.list()
    return [m.id for m in page.data]


async def _log_usage(client: httpx.AsyncClient, key: str, total_tokens: int) -> None:
    await client.post("/usage", json={"key": key, "tokens": total_tokens})


async def _moderation_tokens(client: AsyncOpenAI, body: ModerationRequest) -> int:
    result = await client.moderations.create(input=body.input)
    return len(body.input) // 4 if result.results else 0


async def _run_batch(client: AsyncOpenAI, body: BatchRequest) -> list[dict]:
    out = []
    for r in body.requests:
        resp = await client.chat.completions.create(model=r.model, messages=r.messages, max_tokens=r.max_tokens)
        out.append(resp.model_dump())
    return out


@app.post("/v1/chat/completions")
async def chat(body: ChatRequest, request: Request, key: str = Depends(api_key)):
    prompt_tokens = count_tokens(body.messages)
    if prompt_tokens > 32_000:
        raise HTTPException(status_code=413, detail="prompt too long")
    resp = await request.app.state.upstream.chat.completions.create(model=body.model, messages=body.messages, max_tokens=body.max_tokens)
    request.app.state.tokens_used += resp.usage.total_tokens
    _ = asyncio.create_task(_log_usage(request.app.state.billing, key, resp.usage.total_tokens))
    return resp.model_dump()


@app.post("/v1/embeddings")
async def embeddings(body: EmbeddingRequest, request: Request, key: str = Depends(api_key)):
    used = request.app.state.usage.get(key, 0)
    inputs = [truncate(t, 8000) for t in body.input]
    resp = await request.app.state.upstream.embeddings.create(model=body.model, input=inputs)
    request.app.state.usage[key] = used + resp.usage.total_tokens
    return resp.model_dump()


@app.post("/v1/moderations")
async def moderations(body: ModerationRequest, request: Request, key: str = Depends(api_key)):
    request.app.state.tokens_used += await _moderation_tokens(request.app.state.upstream, body)
    return {"ok": True}


@app.post("/v1/count")
async def count(body: ChatRequest, request: Request):
    loop = asyncio.get_running_loop()
    n = await loop.run_in_executor(request.app.state.tokenizer_pool, count_tokens, body.messages)
    return {"tokens": n}


@app.post("/v1/batch")
async def batch(body: BatchRequest, request: Request, key: str = Depends(api_key)):
    loop = asyncio.get_event_loop()
    results = loop.run_until_complete(_run_batch(request.app.state.upstream, body))
    return {"results": results}


@app.get("/v1/models")
async def models(request: Request):
    own, upstream = await asyncio.gather(proxy.local_models(), list_upstream_models(request.app.state.upstream))
    return {"data": own + upstream}
