"""Skill-based matchmaking."""
import asyncio
import json
import threading
import time

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from redis import asyncio as aioredis

from .rooms import broadcast_state, lobbies

router = APIRouter(prefix="/matchmaking", tags=["matchmaking"])

K_FACTOR = 24.0
RATINGS: dict[str, float] = {}
QUEUE: list[dict] = []
_queue_lock = asyncio.Lock()
_tiers_loaded = threading.Event()
TIERS: list[dict] = []

results = aioredis.from_url("redis://game-cache:6379/1")


def _load_tiers() -> None:
    with open("/etc/harbor/tiers.json", encoding="utf-8") as fh:
        TIERS.extend(json.load(fh))
    _tiers_loaded.set()


threading.Thread(target=_load_tiers, name="tiers-loader", daemon=True).start()


class Player(BaseModel):
    id: str
    region: str


class Result(BaseModel):
    winner: str
    loser: str


def expected(ra: float, rb: float) -> float:
    return 1.0 / (1.0 + 10 ** ((rb - ra) / 400.0))


async def _store_result(match_id: str, result: Result) -> None:
    await results.xadd("match-results", {"match": match_id, "winner": result.winner, "loser": result.loser})


@router.post("/queue")
async def enqueue(player: Player):
    async with _queue_lock:
        QUEUE.append({"id": player.id, "region": player.region, "since": time.time()})
        same_region = [p for p in QUEUE if p["region"] == player.region]
        if len(same_region) < 2:
            return {"queued": True}
        a, b = same_region[:2]
        QUEUE.remove(a)
        QUEUE.remove(b)
        await results.publish("matches", f"{a['id']}:{b['id']}")
    return {"matched": [a["id"], b["id"]]}


@router.post("/matches/{match_id}/result")
async def report_result(match_id: str, result: Result):
    ra = RATINGS.get(result.winner, 1500.0)
    rb = RATINGS.get(result.loser, 1500.0)
    e = expected(ra, rb)
    await _store_result(match_id, result)
    RATINGS[result.winner] = ra + K_FACTOR * (1 - e)
    RATINGS[result.loser] = rb - K_FACTOR * (1 - e)
    return {"winner": RATINGS[result.winner], "loser": RATINGS[result.loser]}


@router.get("/tiers")
async def tiers():
    if not _tiers_loaded.wait(timeout=2.0):
        raise HTTPException(status_code=503, detail="tiers not loaded yet")
    return TIERS


@router.post("/rooms/{room}/start")
async def start_match(room: str):
    await results.publish("room-start", room)
    broadcast_state(room)
    return {"started": room}


@router.post("/rooms/{room}/countdown")
async def countdown(room: str, seconds: int = 3):
    for remaining in range(seconds, 0, -1):
        await lobbies.broadcast(room, {"type": "countdown", "remaining": remaining})
        time.sleep(1)
    return {"go": True}
