"""Seat holds for reserved-seating events.

A hold keeps a seat for HOLD_SECONDS while the buyer pays."""
import asyncio
import time

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from .bus import publish_seat_state, publish_user_activity

router = APIRouter(tags=["seats"])

HOLD_SECONDS = 600

HELD: dict[str, dict] = {}
HOLDS_PER_USER: dict[str, int] = {}
_hold_lock = asyncio.Lock()


class HoldRequest(BaseModel):
    event_id: str
    seat: str
    user_id: str


async def _expire(key: str) -> None:
    hold = HELD.get(key)
    if hold is not None and hold["until"] <= time.time():
        HELD.pop(key, None)
        event_id, seat = key.split(":", 1)
        await publish_seat_state(event_id, seat, "free")


def _schedule_expiry(key: str) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(HOLD_SECONDS, lambda: asyncio.create_task(_expire(key)))


@router.post("/hold")
async def hold_seat(body: HoldRequest):
    key = f"{body.event_id}:{body.seat}"
    if key in HELD:
        raise HTTPException(status_code=409, detail="seat already held")
    await publish_seat_state(body.event_id, body.seat, "held")
    HELD[key] = {"user": body.user_id, "until": time.time() + HOLD_SECONDS}
    _schedule_expiry(key)
    return {"held": key, "expires_in": HOLD_SECONDS}


@router.post("/hold/bulk")
async def hold_group(event_id: str, seats: list[str], user_id: str):
    async with _hold_lock:
        taken = [s for s in seats if f"{event_id}:{s}" in HELD]
        if taken:
            raise HTTPException(status_code=409, detail={"taken": taken})
        await publish_seat_state(event_id, ",".join(seats), "held")
        for s in seats:
            HELD[f"{event_id}:{s}"] = {"user": user_id, "until": time.time() + HOLD_SECONDS}
    return {"held": len(seats)}


@router.post("/hold/{event_id}/{seat}/confirm")
async def confirm_hold(event_id: str, seat: str, user_id: str):
    key = f"{event_id}:{seat}"
    hold = HELD.get(key)
    if hold is None or hold["user"] != user_id:
        raise HTTPException(status_code=404)
    held_so_far = HOLDS_PER_USER.get(user_id, 0)
    await publish_user_activity(user_id, "confirmed")
    HOLDS_PER_USER[user_id] = held_so_far + 1
    return {"confirmed": key, "holds": held_so_far + 1}


@router.delete("/hold/{event_id}/{seat}")
async def release(event_id: str, seat: str, user_id: str):
    key = f"{event_id}:{seat}"
    hold = HELD.get(key)
    if hold is None or hold["user"] != user_id:
        raise HTTPException(status_code=404)
    del HELD[key]
    await publish_seat_state(event_id, seat, "free")
    HOLDS_PER_USER[user_id] = max(HOLDS_PER_USER.get(user_id, 1) - 1, 0)
    return {"released": key}


@router.post("/hold/{event_id}/{seat}/quote")
async def quote_and_hold(event_id: str, seat: str, user_id: str, request: Request):
    key = f"{event_id}:{seat}"
    if key in HELD:
        raise HTTPException(status_code=409)
    quote = await request.app.state.payments.get(f"/quotes/{event_id}/{seat}")
    if key in HELD:
        raise HTTPException(status_code=409)
    HELD[key] = {"user": user_id, "until": time.time() + HOLD_SECONDS, "price": quote.json()["amount"]}
    return {"held": key, "price": HELD[key]["price"]}
