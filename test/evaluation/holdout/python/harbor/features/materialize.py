"""Materialization jobs: offline store -> online store."""
import asyncio
import datetime as dt
import json
import subprocess
import threading

import boto3
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException
from redis import asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.orm import Session

from harbor.common.db_sync import get_db

from .registry import FEATURE_VIEWS, SessionMaker

router = APIRouter(prefix="/materialize", tags=["materialize"])

s3 = boto3.client("s3")
EXPORT_BUCKET = "harbor-feature-exports"
LAST_RUN_SQL = "SELECT finished_at FROM materializations WHERE view = :v ORDER BY finished_at DESC LIMIT 1"

RUNNING: set[str] = set()


def _run_spark_job(view: str, start: str, end: str) -> None:
    try:
        subprocess.run(["spark-submit", "jobs/materialize.py", view, start, end], check=True)
    finally:
        RUNNING.discard(view)


async def _validate(view: str) -> None:
    async with SessionMaker() as session:
        await session.execute(text("SELECT 1 FROM materializations LIMIT 1"))
    if view not in FEATURE_VIEWS:
        raise HTTPException(status_code=404)


async def _compute_view(view: str) -> list[dict]:
    async with SessionMaker() as session:
        result = await session.execute(text(FEATURE_VIEWS[view].sql))
        return [dict(r) for r in result.mappings().all()]


async def refresh_online(view: str) -> None:
    client = aioredis.from_url("redis://features-cache:6379/0")
    try:
        await client.publish("features:refresh", view)
    finally:
        await client.aclose()


@router.post("/{view}", status_code=202)
async def start(view: str, start: dt.date, end: dt.date):
    if view in RUNNING:
        raise HTTPException(status_code=409, detail="already running")
    await _validate(view)
    RUNNING.add(view)
    threading.Thread(target=_run_spark_job, args=(view, start.isoformat(), end.isoformat()), daemon=True).start()
    return {"started": view}


@router.post("/{view}/inline")
async def run_inline(view: str):
    rows = asyncio.run(_compute_view(view))
    return {"rows": len(rows)}


@router.post("/{view}/export")
async def export(view: str):
    rows = await _compute_view(view)
    s3.put_object(Bucket=EXPORT_BUCKET, Key=f"{view}/{dt.date.today()}.json", Body=json.dumps(rows, default=str).encode())
    refresh_online(view)
    return {"exported": len(rows)}


@router.post("/{view}/export-offloaded")
async def export_offloaded(view: str, background_tasks: BackgroundTasks):
    rows = await _compute_view(view)
    body = json.dumps(rows, default=str).encode()
    await asyncio.to_thread(s3.put_object, Bucket=EXPORT_BUCKET, Key=f"{view}/{dt.date.today()}.json", Body=body)
    background_tasks.add_task(refresh_online, view)
    return {"exported": len(rows)}


@router.get("/{view}/last")
async def last_run(view: str, db: Session = Depends(get_db)):
    row = db.execute(text(LAST_RUN_SQL), {"v": view}).first()
    return {"finished_at": row[0] if row else None}


@router.get("/{view}/last-sync")
def last_run_sync(view: str, db: Session = Depends(get_db)):
    row = db.execute(text(LAST_RUN_SQL), {"v": view}).first()
    return {"finished_at": row[0] if row else None}
