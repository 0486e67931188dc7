import asyncio
from decimal import Decimal

import httpx

FX_BASE = "https://fx.internal.ledgerly.io"
RISK_BASE = "https://risk.internal.ledgerly.io"
PROVIDERS = ("ecb", "fixer", "openexchangerates")


async def quote(client: httpx.AsyncClient, provider: str, base: str, target: str) -> Decimal:
    resp = await client.get(f"{FX_BASE}/{provider}/latest", params={"base": base, "symbols": target})
    resp.raise_for_status()
    return Decimal(str(resp.json()["rates"][target]))


async def best_rate(client: httpx.AsyncClient, base: str, target: str) -> Decimal:
    quotes = await asyncio.gather(*(quote(client, p, base, target) for p in PROVIDERS))
    return min(quotes)


async def historical_rate(client: httpx.AsyncClient, base: str, target: str, month: str) -> Decimal:
    resp = await client.get(f"{FX_BASE}/ecb/monthly/{month}", params={"base": base, "symbols": target})
    resp.raise_for_status()
    return Decimal(str(resp.json()["average"][target]))


async def payout_limits(client: httpx.AsyncClient, user_id: int) -> dict:
    resp = await client.get(f"{RISK_BASE}/limits/{user_id}")
    resp.raise_for_status()
    return resp.json()


async def risk_score(client: httpx.AsyncClient, user_id: int) -> float:
    resp = await client.get(f"{RISK_BASE}/score/{user_id}")
    resp.raise_for_status()
    return float(resp.json()["score"])
