"""Report exports (CSV / XLSX) for finance and ops."""
import asyncio
import csv
import datetime as dt
import lzma
import os
import shutil
import threading
from pathlib import Path

import asyncpg
import httpx
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from harbor.common.blobstore import blobs
from harbor.common.db_sync import fetch_rows, get_db
from harbor.common.mailer import send_mail

from .render import build_xlsx, column_widths

EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", "/srv/exports"))
ARCHIVE_DIR = Path("/mnt/archive/exports")
QUERIES = {
    "payouts": "SELECT merchant_id, amount, paid_at FROM payouts WHERE paid_at::date = current_date",
    "refunds": "SELECT order_id, amount, reason FROM refunds WHERE created_at::date = current_date",
}
EXPORT_COUNTS: dict[str, int] = {}


async def open_resources() -> None:
    app.state.pg = await asyncpg.create_pool(os.environ.get("REPORTS_DSN", "postgresql://reports@db/harbor"))
    app.state.slack = httpx.AsyncClient(base_url="https://hooks.slack.example", timeout=5.0)


async def close_resources() -> None:
    await app.state.pg.close()


app = FastAPI(title="Harbor Reports")
app.add_event_handler("startup", open_resources)
app.add_event_handler("shutdown", close_resources)


async def _rows(request: Request, report: str) -> list[dict]:
    if report not in QUERIES:
        raise HTTPException(status_code=404)
    return [dict(r) for r in await request.app.state.pg.fetch(QUERIES[report])]


def _render_and_mail(report: str, to: str) -> None:
    path = build_xlsx(report, fetch_rows(QUERIES[report]))
    send_mail(to, f"{report} export", f"Your export is ready: {path}")


async def _refresh_materialized(pool, report: str) -> int:
    await pool.execute(f"REFRESH MATERIALIZED VIEW CONCURRENTLY mv_{report}")
    return await pool.fetchval(f"SELECT count(*) FROM mv_{report}")


@app.post("/exports/{report}.csv")
async def export_csv(report: str, request: Request):
    rows = await _rows(request, report)
    path = EXPORT_DIR / f"{report}-{dt.date.today()}.csv"
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
    return {"path": str(path)}


@app.post("/exports/{report}.xlsx")
async def export_xlsx(report: str, request: Request):
    rows = await _rows(request, report)
    path = build_xlsx(report, rows)
    return {"path": str(path)}


@app.post("/exports/{report}.xlsx/offloaded")
async def export_xlsx_offloaded(report: str, request: Request):
    rows = await _rows(request, report)
    path = await run_in_threadpool(build_xlsx, report, rows)
    widths = column_widths(rows)
    return {"path": str(path), "widths": widths}


@app.post("/exports/{report}.csv.xz")
async def export_compressed(report: str, request: Request):
    rows = await _rows(request, report)
    raw = "\n".join(",".join(str(v) for v in r.values()) for r in rows).encode()
    blob = lzma.compress(raw, preset=6)
    key = f"exports/{report}-{dt.date.today()}.csv.xz"
    await asyncio.to_thread(blobs.put, key, blob)
    return {"key": key}


@app.post("/exports/{report}/email", status_code=202)
async def email_export(report: str, to: str):
    threading.Thread(target=_render_and_mail, args=(report, to)).start()
    return {"emailing": to}


@app.delete("/exports/{name}")
async def delete_export(name: str):
    os.remove(EXPORT_DIR / name)
    return {"deleted": name}


@app.post("/exports/{name}/archive")
async def archive_export(name: str):
    shutil.copyfile(EXPORT_DIR / name, ARCHIVE_DIR / name)
    blobs.copy_in(f"archive/{name}", str(EXPORT_DIR / name))
    return {"archived": name}


@app.get("/exports/{report}/today")
def export_today(report: str, db: Session = Depends(get_db)):
    EXPORT_COUNTS[report] = EXPORT_COUNTS.get(report, 0) + 1
    rows = db.execute(text(QUERIES[report])).mappings().all()
    path = EXPORT_DIR / f"{report}-{dt.date.today()}.csv"
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows(r.values() for r in rows)
    return FileResponse(path)


@app.post("/exports/{report}/refresh")
async def refresh(report: str, request: Request):
    count = asyncio.run(_refresh_materialized(request.app.state.pg, report))
    return {"refreshed": count}


@app.post("/exports/{report}/notify")
async def notify(report: str, request: Request):
    await request.app.state.slack.post("/services/T000/B000/XXXX", json={"text": f"{report} export ready"})
    return {"ok": True}
