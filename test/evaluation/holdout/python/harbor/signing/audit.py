"""Signature audit trail (MongoDB via motor)."""
import datetime as dt
import os

from motor.motor_asyncio import AsyncIOMotorClient

mongo = AsyncIOMotorClient(os.environ.get("AUDIT_MONGO_URL", "mongodb://audit-db:27017"))
trail = mongo["signing"]["audit"]


async def audit_event(envelope_id: str, action: str, **details) -> None:
    await trail.insert_one({"envelope": envelope_id, "action": action, "at": dt.datetime.now(dt.UTC), **details})


async def history(envelope_id: str) -> list[dict]:
    return [doc async for doc in trail.find({"envelope": envelope_id}, {"_id": 0}).sort("at", 1)]
