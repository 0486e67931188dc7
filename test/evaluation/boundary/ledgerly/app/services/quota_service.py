from datetime import date

from fastapi import HTTPException
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ApiQuota


async def charge(session: AsyncSession, key_id: int, units: int) -> int:
    quota = await session.get(ApiQuota, key_id)
    if quota is None:
        raise HTTPException(status_code=404, detail="unknown api key")
    if quota.used + units > quota.monthly_limit:
        raise HTTPException(status_code=429, detail="monthly quota exhausted")
    quota.used = min(quota.monthly_limit, quota.used + units)
    await session.commit()
    return quota.monthly_limit - quota.used


async def refund(session: AsyncSession, key_id: int, units: int) -> int:
    quota = await session.get(ApiQuota, key_id, with_for_update=True)
    if quota is None:
        raise HTTPException(status_code=404, detail="unknown api key")
    quota.used = max(0, quota.used - units)
    await session.commit()
    return quota.monthly_limit - quota.used


async def reset(session: AsyncSession, key_id: int) -> None:
    quota = await session.get(ApiQuota, key_id)
    if quota is None:
        raise HTTPException(status_code=404, detail="unknown api key")
    quota.used = 0
    quota.period_start = date.today()
    await session.commit()
