"""Feature flags: a poller refreshes a local snapshot; request handlers only read it."""
import asyncio
import contextlib
import hashlib
import json
import logging
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .flag_store import FlagStoreClient

log = logging.getLogger("flags")

POLL_INTERVAL = 30
DEFAULT_FLAGS: dict[str, dict] = json.loads(os.environ.get("DEFAULT_FLAGS", "{}"))
_flags: dict[str, dict] = {}
_store = FlagStoreClient()


async def _poll_forever() -> None:
    global _flags
    while True:
        await asyncio.sleep(POLL_INTERVAL)
        try:
            _flags = {**DEFAULT_FLAGS, **await _store.fetch_all()}
        except Exception:
            log.exception("flag refresh failed; keeping the last snapshot")


@asynccontextmanager
async def lifespan(app: FastAPI):
    global _flags
    _flags = {**DEFAULT_FLAGS, **await _store.fetch_all()}
    poller = asyncio.create_task(_poll_forever())
    yield
    poller.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await poller
    await _store.aclose()


app = FastAPI(lifespan=lifespan)


def is_enabled(name: str, user_id: str) -> bool:
    flag = _flags.get(name)
    if not flag or not flag.get("enabled"):
        return False
    bucket = int(hashlib.sha1(f"{name}:{user_id}".encode()).hexdigest(), 16) % 100
    return bucket < flag.get("rollout", 100)


@app.get("/flags/{user_id}")
async def flags_for_user(user_id: str):
    return {name: is_enabled(name, user_id) for name in _flags}


@app.put("/flags/{name}")
async def set_flag(name: str, enabled: bool, rollout: int = 100):
    await _store.put(name, {"enabled": enabled, "rollout": rollout})
    return {"name": name, "enabled": enabled, "rollout": rollout, "note": f"visible within {POLL_INTERVAL}s"}
