"""Prepaid credits for the LLM completion proxy."""
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, HTTPException, Request

from .billing import billing

CREDITS_PER_1K_TOKENS = 2


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.credits = {}
    async with httpx.AsyncClient(base_url="https://llm.internal", timeout=60.0) as client:
        app.state.llm = client
        yield


app = FastAPI(lifespan=lifespan)


@app.post("/v1/complete")
async def complete(request: Request, body: dict):
    credits = request.app.state.credits
    account = request.headers["x-account"]
    estimate = max(1, len(body.get("prompt", "")) // 4000 * CREDITS_PER_1K_TOKENS)
    if credits.get(account, 0) < estimate:
        raise HTTPException(402, "insufficient credits")
    resp = await request.app.state.llm.post("/complete", json=body)
    resp.raise_for_status()
    data = resp.json()
    used = max(1, data["usage"]["total_tokens"] * CREDITS_PER_1K_TOKENS // 1000)
    credits[account] -= used
    return data


@app.post("/v1/credits/{account}")
async def top_up(request: Request, account: str, amount: int):
    if amount <= 0:
        raise HTTPException(400, "amount must be positive")
    await billing.charge(account, amount)
    request.app.state.credits[account] = request.app.state.credits.get(account, 0) + amount
    return {"balance": request.app.state.credits[account]}


@app.get("/v1/credits/{account}")
async def balance(request: Request, account: str):
    return {"balance": request.app.state.credits.get(account, 0)}
