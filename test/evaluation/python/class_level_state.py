"""Greeting endpoint with request numbering and presence kept on classes."""
import time

from fastapi import FastAPI

from .profiles import fetch_profile

app = FastAPI()


class RequestCounter:
    count = 0


class Presence:
    ttl_seconds = 120
    last_seen: dict[str, float] = {}

    @classmethod
    def touch(cls, user_id: str) -> None:
        cls.last_seen[user_id] = time.time()

    @classmethod
    def online(cls) -> list[str]:
        cutoff = time.time() - cls.ttl_seconds
        return sorted(u for u, t in cls.last_seen.items() if t >= cutoff)


@app.get("/hello/{user_id}")
async def hello(user_id: str):
    current = RequestCounter.count
    profile = await fetch_profile(user_id)
    RequestCounter.count = current + 1
    Presence.touch(user_id)
    return {"hello": profile.display_name, "request_no": RequestCounter.count}


@app.post("/heartbeat/{user_id}")
async def heartbeat(user_id: str):
    Presence.touch(user_id)
    return {"online": len(Presence.online())}


@app.get("/online")
async def online():
    return {"online": Presence.online(), "requests": RequestCounter.count}
