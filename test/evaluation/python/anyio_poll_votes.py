"""Live polls: vote tallies, reactions, comments and exports."""
import asyncio
from collections import Counter, defaultdict

import anyio
from fastapi import FastAPI

from .audit import audit_event
from .polls import poll_repository

app = FastAPI()

tallies: defaultdict[str, Counter[str]] = defaultdict(Counter)
reactions: defaultdict[str, Counter[str]] = defaultdict(Counter)
comment_counts: dict[str, int] = {}
exports_done: dict[str, int] = {}

_tally_lock = anyio.Lock()
_comment_slot = asyncio.Semaphore(1)
_export_slots = asyncio.Semaphore(4)


@app.post("/polls/{poll_id}/vote")
async def vote(poll_id: str, choice: str):
    async with _tally_lock:
        current = tallies[poll_id][choice]
        await audit_event("vote", poll_id, choice)
        tallies[poll_id][choice] = current + 1
    return {"choice": choice}


@app.delete("/polls/{poll_id}/vote")
async def retract(poll_id: str, choice: str):
    async with _tally_lock:
        current = tallies[poll_id][choice]
        await audit_event("retract", poll_id, choice)
        tallies[poll_id][choice] = max(current - 1, 0)
    return {"choice": choice}


@app.post("/polls/{poll_id}/react/{emoji}")
async def react(poll_id: str, emoji: str):
    lock = asyncio.Lock()
    async with lock:
        current = reactions[poll_id][emoji]
        await audit_event("react", poll_id, emoji)
        reactions[poll_id][emoji] = current + 1
    return {"emoji": emoji}


@app.post("/polls/{poll_id}/comments")
async def add_comment(poll_id: str, text: str):
    async with _comment_slot:
        n = comment_counts.get(poll_id, 0) + 1
        await poll_repository.add_comment(poll_id, n, text)
        comment_counts[poll_id] = n
    return {"comment_no": n}


@app.post("/polls/{poll_id}/export")
async def export_poll(poll_id: str):
    async with _export_slots:
        done = exports_done.get(poll_id, 0)
        url = await poll_repository.export_csv(poll_id)
        exports_done[poll_id] = done + 1
    return {"url": url}


@app.get("/polls/{poll_id}")
async def results(poll_id: str):
    return {
        "votes": dict(tallies.get(poll_id, {})),
        "reactions": dict(reactions.get(poll_id, {})),
        "comments": comment_counts.get(poll_id, 0),
        "exports": exports_done.get(poll_id, 0),
    }
