"""Seat and activity events for the venue displays, published on Redis."""
import json
import os
import time

from redis import asyncio as aioredis

redis_client = aioredis.from_url(os.environ.get("TICKETING_REDIS_URL", "redis://cache:6379/3"), decode_responses=True)


async def publish_seat_state(event_id: str, seat: str, state: str) -> None:
    payload = json.dumps({"event": event_id, "seat": seat, "state": state, "ts": time.time()})
    await redis_client.publish(f"seats:{event_id}", payload)


async def publish_user_activity(user_id: str, action: str) -> None:
    await redis_client.xadd("activity", {"user": user_id, "action": action})
