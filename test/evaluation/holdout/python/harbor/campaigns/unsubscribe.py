"""One-click unsubscribe (RFC 8058)."""
import asyncio
import hashlib
import hmac
import os
import sqlite3

from fastapi import APIRouter, HTTPException

from harbor.common.db_sync import lookup_sqlite

router = APIRouter(tags=["unsubscribe"])

UNSUB_DB = os.environ.get("UNSUB_DB", "/var/lib/harbor/unsubscribe.sqlite3")
SECRET = os.environ.get("UNSUB_SECRET", "dev-only").encode()


def unsubscribe_token(email: str) -> str:
    return hmac.new(SECRET, email.lower().encode(), hashlib.sha256).hexdigest()


@router.post("/unsubscribe")
async def unsubscribe(email: str, token: str):
    if not hmac.compare_digest(unsubscribe_token(email), token):
        raise HTTPException(status_code=403)
    con = sqlite3.connect(UNSUB_DB)
    try:
        with con:
            con.execute("INSERT OR IGNORE INTO unsubscribed(email) VALUES (?)", (email.lower(),))
    finally:
        con.close()
    return {"unsubscribed": email}


@router.get("/unsubscribe/status")
def unsubscribe_status(email: str):
    con = sqlite3.connect(UNSUB_DB)
    try:
        row = con.execute("SELECT 1 FROM unsubscribed WHERE email = ?", (email.lower(),)).fetchone()
    finally:
        con.close()
    return {"unsubscribed": row is not None}


@router.get("/unsubscribe/stats")
async def unsubscribe_stats():
    total = await asyncio.to_thread(lookup_sqlite, UNSUB_DB, "total")
    return {"total": int(total or 0)}


@router.get("/unsubscribe/last")
async def last_unsubscribe():
    def _query():
        con = sqlite3.connect(UNSUB_DB)
        try:
            return con.execute("SELECT email FROM unsubscribed ORDER BY rowid DESC LIMIT 1").fetchone()
        finally:
            con.close()

    row = await asyncio.to_thread(_query)
    return {"last": row[0] if row else None}
