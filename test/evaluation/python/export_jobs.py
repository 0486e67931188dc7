"""Data exports (one running export per user) and the search re-index switch."""
from fastapi import FastAPI, HTTPException

from .exporter import exporter
from .search import search_index

app = FastAPI()

active_exports: dict[str, str] = {}
reindexing = False


@app.post("/exports")
async def start_export(user_id: str, fmt: str = "csv"):
    if user_id in active_exports:
        raise HTTPException(409, "an export is already running")
    if fmt not in ("csv", "xlsx", "parquet"):
        raise HTTPException(400, "unsupported format")
    export_id = await exporter.start(user_id, fmt)
    active_exports[user_id] = export_id
    return {"export_id": export_id}


@app.post("/exports/{user_id}/finished")
async def export_finished(user_id: str, export_id: str):
    if active_exports.get(user_id) == export_id:
        del active_exports[user_id]
    return {"ok": True}


@app.post("/admin/reindex")
async def reindex(full: bool = False):
    global reindexing
    if reindexing:
        raise HTTPException(409, "re-index already in progress")
    reindexing = True
    try:
        if full:
            await search_index.drop()
        await search_index.rebuild()
    finally:
        reindexing = False
    return {"ok": True, "full": full}
