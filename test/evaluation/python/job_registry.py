"""Report-generation jobs tracked in an in-memory registry."""
import uuid
from datetime import datetime, timezone

from fastapi import BackgroundTasks, FastAPI, HTTPException
from pydantic import BaseModel

from .reports import ReportFailed, render_report
from .worker import worker_client

app = FastAPI()

JOBS: dict[str, dict] = {}


class ReportRequest(BaseModel):
    kind: str
    params: dict = {}


async def run_report(job_id: str, request: ReportRequest) -> None:
    JOBS[job_id]["status"] = "running"
    JOBS[job_id]["started_at"] = datetime.now(timezone.utc).isoformat()
    try:
        url = await render_report(request.kind, request.params)
    except ReportFailed as exc:
        JOBS[job_id].update(status="failed", error=str(exc))
        return
    if JOBS[job_id]["status"] == "cancelled":
        return
    JOBS[job_id].update(status="done", url=url)


@app.post("/reports", status_code=202)
async def submit(request: ReportRequest, background_tasks: BackgroundTasks):
    job_id = uuid.uuid4().hex
    JOBS[job_id] = {"status": "queued", "kind": request.kind}
    background_tasks.add_task(run_report, job_id, request)
    return {"job_id": job_id}


@app.get("/reports/{job_id}")
async def get_status(job_id: str):
    job = JOBS.get(job_id)
    if job is None:
        raise HTTPException(404, "unknown job")
    return job


@app.post("/reports/{job_id}/cancel")
async def cancel(job_id: str):
    if job_id not in JOBS:
        raise HTTPException(404, "unknown job")
    if JOBS[job_id]["status"] in ("done", "failed"):
        raise HTTPException(409, f"job already {JOBS[job_id]['status']}")
    await worker_client.revoke(job_id)
    JOBS[job_id]["status"] = "cancelled"
    return {"job_id": job_id, "status": "cancelled"}
