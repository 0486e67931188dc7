"""Provider passthrough routes."""
import asyncio

import httpx
import requests
from anthropic import AsyncAnthropic
from fastapi import APIRouter, Depends, Header, HTTPException, Request
from openai import AsyncOpenAI

router = APIRouter(prefix="/v1", tags=["providers"])

PROVIDERS = {
    "mistral": "https://api.mistral.example/v1",
    "local": "http://vllm.internal:8000/v1",
}
MAX_STREAMS_PER_KEY = 4
ACTIVE_STREAMS: dict[str, int] = {}
legacy = requests.Session()


async def anthropic_client():
    client = AsyncAnthropic()
    try:
        yield client
    finally:
        await client.close()


async def local_models() -> list[str]:
    return sorted(PROVIDERS)


async def _reserve_credit(billing: httpx.AsyncClient, key: str) -> None:
    resp = await billing.post("/reserve", json={"key": key})
    if resp.status_code == 402:
        raise HTTPException(status_code=402, detail="out of credit")


async def _warm_all() -> None:
    async with httpx.AsyncClient(timeout=10.0) as client:
        for base in PROVIDERS.values():
            await client.get(f"{base}/models")


@router.post("/providers/{name}/complete")
async def complete(name: str, payload: dict):
    if name not in PROVIDERS:
        raise HTTPException(status_code=404)
    async with httpx.AsyncClient(base_url=PROVIDERS[name], timeout=60.0) as client:
        resp = await client.post("/completions", json=payload)
    return resp.json()


@router.post("/moderate")
async def moderate(text: str):
    client = AsyncOpenAI()
    result = await client.moderations.create(input=text)
    return result.model_dump()


@router.post("/claude")
async def claude(payload: dict, client: AsyncAnthropic = Depends(anthropic_client)):
    msg = await client.messages.create(**payload)
    return msg.model_dump()


@router.post("/providers/{name}/stream")
async def stream(name: str, payload: dict, request: Request, x_api_key: str = Header(...)):
    if ACTIVE_STREAMS.get(x_api_key, 0) >= MAX_STREAMS_PER_KEY:
        raise HTTPException(status_code=429, detail="too many concurrent requests")
    await _reserve_credit(request.app.state.billing, x_api_key)
    ACTIVE_STREAMS[x_api_key] = ACTIVE_STREAMS.get(x_api_key, 0) + 1
    timeout = httpx.Timeout(120.0, connect=5.0)
    try:
        result = await request.app.state.upstream.with_options(timeout=timeout).completions.create(**payload)
    finally:
        ACTIVE_STREAMS[x_api_key] -= 1
    return result.model_dump()


@router.post("/legacy/{name}")
async def legacy_complete(name: str, payload: dict):
    resp = legacy.post(f"{PROVIDERS[name]}/completions", json=payload, timeout=60)
    return resp.json()


@router.post("/admin/warm")
def warm_models():
    asyncio.run(_warm_all())
    return {"warmed": list(PROVIDERS)}
