from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..schemas import ConsumeRequest
from ..services import quota_service

router = APIRouter(prefix="/quota", tags=["quota"])


@router.post("/keys/{key_id}/consume")
async def consume(key_id: int, body: ConsumeRequest, session: AsyncSession = Depends(get_session)):
    remaining = await quota_service.charge(session, key_id, body.units)
    return {"remaining": remaining}


@router.post("/keys/{key_id}/refund")
async def refund(key_id: int, body: ConsumeRequest, session: AsyncSession = Depends(get_session)):
    remaining = await quota_service.refund(session, key_id, body.units)
    return {"remaining": remaining}


@router.post("/keys/{key_id}/reset", status_code=204)
async def reset(key_id: int, session: AsyncSession = Depends(get_session)) -> None:
    await quota_service.reset(session, key_id)
