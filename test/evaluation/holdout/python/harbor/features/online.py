"""Online feature reads."""
import os
from functools import cache

import asyncpg
from fastapi import APIRouter, Depends, Query
from redis import asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from harbor.common.config import get_settings
from harbor.common.db_sync import lookup_sqlite

router = APIRouter(prefix="/online", tags=["online"])

REDIS_URL = os.environ.get("FEATURES_REDIS_URL", "redis://features-cache:6379/0")
OFFLINE_DSN = os.environ.get("OFFLINE_DSN", "postgresql://features@warehouse/offline")
OVERRIDES_DB = "/var/lib/harbor/feature-overrides.sqlite3"


async def replica_session():
    engine = create_async_engine(get_settings().database_url, pool_size=5)
    try:
        async with AsyncSession(engine) as session:
            yield session
    finally:
        await engine.dispose()


@cache
async def feature_schema(entity: str) -> dict:
    from .registry import FEATURE_VIEWS

    return {v.name: v.ttl_seconds for v in FEATURE_VIEWS.values() if v.entity == entity}


@router.get("/{entity}/{entity_id}")
async def get_features(entity: str, entity_id: str, names: list[str] = Query(...)):
    redis = aioredis.from_url(REDIS_URL)
    try:
        values = await redis.hmget(f"{entity}:{entity_id}", *names)
    finally:
        await redis.aclose()
    return dict(zip(names, (v.decode() if v else None for v in values)))


@router.get("/{entity}/{entity_id}/history")
async def feature_history(entity: str, entity_id: str, session: AsyncSession = Depends(replica_session)):
    result = await session.execute(
        text("SELECT * FROM feature_log WHERE entity = :e AND entity_id = :i ORDER BY ts DESC LIMIT 50"),
        {"e": entity, "i": entity_id},
    )
    return [dict(r) for r in result.mappings().all()]


@router.post("/{entity}/backfill-count")
async def backfill_count(entity: str, since: str):
    pool = await asyncpg.create_pool(OFFLINE_DSN, max_size=4)
    try:
        async with pool.acquire() as conn:
            n = await conn.fetchval("SELECT count(*) FROM feature_log WHERE entity = $1 AND ts >= $2::timestamptz", entity, since)
    finally:
        await pool.close()
    return {"rows": n}


@router.get("/{entity}/{entity_id}/override")
async def override(entity: str, entity_id: str):
    value = lookup_sqlite(OVERRIDES_DB, f"{entity}:{entity_id}")
    return {"override": value}


@router.get("/schema/{entity}")
async def schema(entity: str):
    return await feature_schema(entity)
