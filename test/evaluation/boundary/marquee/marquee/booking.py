from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException

from .models import Event, Show


class SoldOut(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=409, detail="not enough seats left")


async def hold_seats(session: AsyncSession, event_id: int, count: int) -> int:
    result = await session.execute(select(Event).where(Event.id == event_id))
    event = result.scalar_one()
    if event.status != "on_sale":
        raise HTTPException(status_code=409, detail="event is not on sale")
    if event.seats_left < count:
        raise SoldOut()
    event.seats_left = event.seats_left - count
    await session.commit()
    return event.seats_left


async def hold_seats_locked(session: AsyncSession, event_id: int, count: int) -> int:
    result = await session.execute(select(Event).where(Event.id == event_id).with_for_update())
    event = result.scalar_one()
    if event.seats_left < count:
        raise SoldOut()
    event.seats_left -= count
    await session.commit()
    return event.seats_left


async def cancel_hold(session: AsyncSession, event_id: int, count: int) -> None:
    await session.execute(
        update(Event).where(Event.id == event_id).values(seats_left=Event.seats_left + count)
    )
    await session.commit()


async def sell_show_tickets(session: AsyncSession, show_id: int, count: int) -> int:
    show = await session.get(Show, show_id)
    if show is None:
        raise HTTPException(status_code=404, detail="show not found")
    if show.tickets_sold + count > show.capacity:
        raise SoldOut()
    show.tickets_sold += count
    await session.commit()
    return show.capacity - show.tickets_sold
