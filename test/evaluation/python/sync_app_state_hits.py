"""Status page backed by app.state, served from sync endpoints."""
import os
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.hits = 0
    app.state.incidents = []
    app.state.ack_lock = threading.Lock()
    app.state.acks = {}
    app.state.version = os.environ.get("APP_VERSION", "dev")
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/status")
def status(request: Request):
    request.app.state.hits += 1
    return {
        "version": request.app.state.version,
        "hits": request.app.state.hits,
        "open_incidents": len(request.app.state.incidents),
    }


@app.post("/incidents")
def open_incident(request: Request, title: str):
    request.app.state.incidents.append({"title": title})
    return {"open": len(request.app.state.incidents)}


@app.post("/incidents/{idx}/ack")
def ack_incident(request: Request, idx: int):
    state = request.app.state
    with state.ack_lock:
        state.acks[idx] = state.acks.get(idx, 0) + 1
        count = state.acks[idx]
    return {"acks": count}
