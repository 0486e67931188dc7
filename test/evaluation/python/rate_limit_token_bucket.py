"""Token-bucket limiter shared by the login and signup routes."""
import asyncio
import time
from dataclasses import dataclass

from fastapi import FastAPI, HTTPException, Request

from .abuse import AbuseScorer
from .accounts import check_credentials, create_account

app = FastAPI()


@dataclass
class Bucket:
    tokens: float
    updated_at: float


class TokenBucketLimiter:
    def __init__(self, rate_per_sec: float, burst: int) -> None:
        self.rate = rate_per_sec
        self.burst = burst
        self._buckets: dict[str, Bucket] = {}
        self._lock = asyncio.Lock()
        self._scorer = AbuseScorer()

    async def allow(self, key: str) -> bool:
        async with self._lock:
            now = time.monotonic()
            bucket = self._buckets.get(key) or Bucket(float(self.burst), now)
            refill = (now - bucket.updated_at) * self.rate
            tokens = min(float(self.burst), bucket.tokens + refill)
            cost = 1.0 + await self._scorer.penalty(key)
            if tokens < cost:
                self._buckets[key] = Bucket(tokens, now)
                return False
            self._buckets[key] = Bucket(tokens - cost, now)
            return True

    def remaining(self, key: str) -> float:
        bucket = self._buckets.get(key)
        return bucket.tokens if bucket else float(self.burst)


limiter = TokenBucketLimiter(rate_per_sec=0.5, burst=5)


@app.post("/login")
async def login(request: Request, form: dict):
    if not await limiter.allow(f"login:{request.client.host}"):
        raise HTTPException(429, "too many attempts")
    return await check_credentials(form)


@app.post("/signup")
async def signup(request: Request, form: dict):
    if not await limiter.allow(f"signup:{request.client.host}"):
        raise HTTPException(429, "slow down")
    return await create_account(form)


@app.get("/limits")
async def limits(request: Request):
    host = request.client.host
    return {"login": limiter.remaining(f"login:{host}"), "signup": limiter.remaining(f"signup:{host}")}
