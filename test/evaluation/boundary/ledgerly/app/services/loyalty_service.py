from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import LoyaltyAccount

POINTS_PER_EURO = 10


def points_for(order_total: Decimal) -> int:
    return int(order_total) * POINTS_PER_EURO


async def award_points(session: AsyncSession, user_id: int, order_total: Decimal) -> LoyaltyAccount:
    result = await session.execute(select(LoyaltyAccount).where(LoyaltyAccount.user_id == user_id))
    account = result.scalar_one()
    account.points += points_for(order_total)
    await session.commit()
    return account
