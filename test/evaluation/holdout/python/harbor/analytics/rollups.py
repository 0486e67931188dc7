"""Hourly rollups. Plain `def` endpoints: FastAPI runs them in its threadpool."""
import threading
import time
from collections import Counter, defaultdict

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel

api = FastAPI(title="Rollups")

_lock = threading.Lock()

HOURLY: defaultdict[str, int] = defaultdict(int)
UNIQUE_VISITORS: set[str] = set()
LAST_SEEN: dict[str, float] = {}
TOTAL_EVENTS = 0
API_QUOTA: dict[str, int] = {}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Sampler:
    rate = 0.1
    seen = 0


class Event(BaseModel):
    page: str
    visitor: str


def quota(x_api_key: str = Header(...)) -> str:
    used = API_QUOTA.get(x_api_key, 0)
    if used >= 50_000:
        raise HTTPException(status_code=429, detail="daily quota exhausted")
    API_QUOTA[x_api_key] = used + 1
    return x_api_key


@api.post("/hit/{page}")
def hit(page: str, visitor: str):
    HOURLY[page] += 1
    UNIQUE_VISITORS.add(visitor)
    LAST_SEEN[visitor] = time.time()
    return {"ok": True}


@api.post("/bulk")
def bulk(events: list[Event]):
    global TOTAL_EVENTS
    per_page = Counter(e.page for e in events)
    with _lock:
        for page, n in per_page.items():
            HOURLY[page] += n
        TOTAL_EVENTS += len(events)
    return {"accepted": len(events)}


@api.post("/sample")
def sample(event: Event):
    Sampler.seen += 1
    keep = Sampler.seen % int(1 / Sampler.rate) == 0
    return {"kept": keep, "page": event.page}


@api.get("/hourly", dependencies=[Depends(quota)])
def hourly():
    with _lock:
        snapshot = dict(HOURLY)
    return {"pages": snapshot, "total": sum(snapshot.values())}


@api.get("/week-template")
def week_template(days: int = 7):
    totals: dict[str, int] = {}
    for i in range(days):
        name = DAY_NAMES[i % 7]
        totals[name] = totals.get(name, 0) + 1
    return totals
