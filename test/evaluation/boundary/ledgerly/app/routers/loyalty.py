import httpx
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from ..db import get_session
from ..deps import get_http
from ..models import LoyaltyAccount, Reward, Voucher
from ..schemas import AwardRequest, BroadcastRequest, NotifyRequest, RedeemRequest, SetPoints
from ..services import loyalty_service, notify

router = APIRouter(prefix="/loyalty", tags=["loyalty"])


@router.post("/{user_id}/redeem")
async def redeem(user_id: int, body: RedeemRequest, session: AsyncSession = Depends(get_session)):
    reward = await session.get(Reward, body.reward_id)
    if reward is None:
        raise HTTPException(status_code=404, detail="unknown reward")
    account = (
        await session.execute(select(LoyaltyAccount).where(LoyaltyAccount.user_id == user_id))
    ).scalars().first()
    if account is None or account.points < reward.cost:
        raise HTTPException(status_code=409, detail="not enough points")
    account.points = account.points - reward.cost
    await session.commit()
    return {"points": account.points, "reward": reward.name}


@router.post("/{user_id}/award")
async def award(user_id: int, body: AwardRequest, session: AsyncSession = Depends(get_session)):
    try:
        account = await loyalty_service.award_points(session, user_id, body.order_total)
    except NoResultFound:
        raise HTTPException(status_code=404, detail="no loyalty account")
    return {"points": account.points, "tier": account.tier}


@router.put("/{user_id}/points")
async def set_points(user_id: int, body: SetPoints, session: AsyncSession = Depends(get_session)):
    account = (
        await session.execute(select(LoyaltyAccount).where(LoyaltyAccount.user_id == user_id))
    ).scalars().first()
    if account is None:
        raise HTTPException(status_code=404, detail="no loyalty account")
    account.points = body.points
    await session.commit()
    return {"points": account.points}


@router.post("/vouchers/{code}/use")
async def use_voucher(code: str, session: AsyncSession = Depends(get_session)):
    voucher = (
        await session.execute(select(Voucher).where(Voucher.code == code))
    ).scalar_one_or_none()
    if voucher is None or voucher.remaining_uses <= 0:
        raise HTTPException(status_code=410, detail="voucher exhausted")
    voucher.remaining_uses -= 1
    try:
        await session.commit()
    except StaleDataError:
        await session.rollback()
        raise HTTPException(status_code=409, detail="voucher used concurrently, retry")
    return {"remaining_uses": voucher.remaining_uses}


@router.post("/notify")
async def notify_members(body: NotifyRequest, http: httpx.AsyncClient = Depends(get_http)):
    delivered = await notify.notify_many(http, body.device_tokens, body.message)
    return {"delivered": delivered, "requested": len(body.device_tokens)}


@router.post("/broadcast")
async def broadcast(
    body: BroadcastRequest,
    session: AsyncSession = Depends(get_session),
    http: httpx.AsyncClient = Depends(get_http),
):
    sent = await notify.broadcast(session, http, body.message)
    return {"sent": sent}


@router.post("/broadcast/throttled")
async def broadcast_throttled(
    body: BroadcastRequest,
    session: AsyncSession = Depends(get_session),
    http: httpx.AsyncClient = Depends(get_http),
):
    delivered = await notify.broadcast_throttled(session, http, body.message)
    return {"delivered": delivered}
