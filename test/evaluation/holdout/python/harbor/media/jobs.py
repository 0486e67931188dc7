"""Transcode job queue (in-process)."""
import asyncio
import time
import uuid

import httpx
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from harbor.common.blobstore import blobs

from .transcode import transcode

router = APIRouter(prefix="/jobs", tags=["jobs"])

WEBHOOK_URL = "https://hooks.internal/media"

JOBS: dict[str, dict] = {}
RETRIES: dict[str, int] = {}
_running: set[asyncio.Task] = set()
_hooks = httpx.AsyncClient(timeout=5.0)


class JobRequest(BaseModel):
    key: str
    preset: str = "720p"


class BatchRequest(BaseModel):
    items: list[JobRequest]


async def notify_done(job_id: str) -> None:
    await _hooks.post(WEBHOOK_URL, json={"job": job_id, **JOBS[job_id]})


async def run_job(job_id: str, key: str, preset: str) -> None:
    JOBS[job_id]["state"] = "running"
    try:
        out = await asyncio.to_thread(transcode, str(blobs._path(key)), preset)
        blobs.copy_in(f"{key}-{preset}", out)
        JOBS[job_id].update(state="done", finished=time.time())
    except Exception as exc:
        JOBS[job_id].update(state="failed", error=str(exc))
    notify_done(job_id)


@router.post("", status_code=202)
async def submit(req: JobRequest):
    job_id = uuid.uuid4().hex
    JOBS[job_id] = {"state": "queued", "key": req.key, "preset": req.preset}
    asyncio.create_task(run_job(job_id, req.key, req.preset))
    return {"job": job_id}


@router.post("/batch", status_code=202)
async def submit_batch(req: BatchRequest):
    ids = []
    for item in req.items:
        job_id = uuid.uuid4().hex
        JOBS[job_id] = {"state": "queued", "key": item.key, "preset": item.preset}
        task = asyncio.create_task(run_job(job_id, item.key, item.preset))
        _running.add(task)
        task.add_done_callback(_running.discard)
        ids.append(job_id)
    return {"jobs": ids}


@router.get("/{job_id}")
async def status(job_id: str):
    if job_id not in JOBS:
        raise HTTPException(status_code=404)
    return {**JOBS[job_id], "retries": RETRIES.get(job_id, 0)}


@router.post("/{job_id}/retry", status_code=202)
async def retry(job_id: str):
    job = JOBS.get(job_id)
    if job is None:
        raise HTTPException(status_code=404)
    retries = RETRIES.get(job_id, 0)
    await _hooks.post(WEBHOOK_URL, json={"job": job_id, "state": "retrying", "retry": retries + 1})
    RETRIES[job_id] = retries + 1
    task = asyncio.create_task(run_job(job_id, job["key"], job["preset"]))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return {"job": job_id, "retry": RETRIES[job_id]}
