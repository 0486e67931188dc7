"""Query endpoints, suggestions and query stats."""
import threading
from functools import lru_cache

import httpx
import redis
from async_lru import alru_cache
from fastapi import APIRouter, Depends, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from harbor.common.db_sync import fetch_rows, get_db

router = APIRouter(prefix="/search", tags=["search"])

hot_queries = redis.Redis(host="search-cache", port=6379, db=4)

_SYNONYMS: dict[str, tuple[str, ...]] = {}
QUERY_COUNTS: dict[str, int] = {}
ZERO_RESULT_COUNTS: dict[str, int] = {}
_stats_lock = threading.Lock()


def expand(term: str) -> tuple[str, ...]:
    if term in _SYNONYMS:
        return _SYNONYMS[term]
    forms = tuple(sorted({term, term.lower(), term.rstrip("s"), term.replace("-", " ")}))
    _SYNONYMS[term] = forms
    return forms


@lru_cache(maxsize=1024)
async def suggestions(client: httpx.AsyncClient, prefix: str) -> list[str]:
    resp = await client.post("/docs/_search", json={"suggest": {"s": {"prefix": prefix, "completion": {"field": "suggest"}}}})
    return [o["text"] for o in resp.json()["suggest"]["s"][0]["options"]]


@alru_cache(maxsize=256, ttl=60)
async def facet_counts(client: httpx.AsyncClient, field: str) -> dict:
    resp = await client.post("/docs/_search", json={"size": 0, "aggs": {"f": {"terms": {"field": field}}}})
    return {b["key"]: b["doc_count"] for b in resp.json()["aggregations"]["f"]["buckets"]}


@router.get("")
def search(q: str, db: Session = Depends(get_db)):
    terms = [t for word in q.split() for t in expand(word)]
    rows = db.execute(text("SELECT id, title FROM docs WHERE tsv @@ plainto_tsquery(:q) LIMIT 20"), {"q": " ".join(terms)}).all()
    QUERY_COUNTS[q] = QUERY_COUNTS.get(q, 0) + 1
    if not rows:
        with _stats_lock:
            ZERO_RESULT_COUNTS[q] = ZERO_RESULT_COUNTS.get(q, 0) + 1
    return [dict(r._mapping) for r in rows]


@router.get("/suggest")
async def suggest(prefix: str, request: Request):
    return await suggestions(request.app.state.engine, prefix.lower())


@router.get("/facets/{field}")
async def facets(field: str, request: Request):
    return await facet_counts(request.app.state.engine, field)


@router.get("/popular")
async def popular():
    top = hot_queries.zrevrange("popular", 0, 9, withscores=True)
    return [{"q": q.decode(), "n": int(n)} for q, n in top]


@router.get("/recent")
async def recent_documents(limit: int = 20):
    return fetch_rows("SELECT id, title, updated_at FROM docs ORDER BY updated_at DESC LIMIT :n", n=limit)


@router.get("/stats")
async def stats():
    with _stats_lock:
        return {"queries": len(QUERY_COUNTS), "zero_results": dict(ZERO_RESULT_COUNTS)}
