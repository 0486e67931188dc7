"""Seat reservations for cinema screenings."""
import asyncio

from fastapi import APIRouter, Depends, HTTPException

from .auth import User, current_user
from .payments import PaymentDeclined, payments

router = APIRouter(prefix="/screenings")

TICKET_PRICE_CENTS = 1250
seat_owner: dict[tuple[str, str], str] = {}
vip_seat_owner: dict[tuple[str, str], str] = {}
_vip_lock = asyncio.Lock()


@router.post("/{screening_id}/seats/{seat}")
async def book_seat(screening_id: str, seat: str, user: User = Depends(current_user)):
    key = (screening_id, seat)
    if key in seat_owner:
        raise HTTPException(409, "seat already booked")
    await payments.authorize(user.id, TICKET_PRICE_CENTS)
    seat_owner[key] = user.id
    return {"seat": seat, "owner": user.id}


@router.delete("/{screening_id}/seats/{seat}")
async def release_seat(screening_id: str, seat: str, user: User = Depends(current_user)):
    key = (screening_id, seat)
    if seat_owner.get(key) != user.id:
        raise HTTPException(403, "not your seat")
    await payments.refund(user.id, TICKET_PRICE_CENTS)
    del seat_owner[key]
    return {"released": seat}


@router.post("/{screening_id}/vip-seats/{seat}")
async def book_vip_seat(screening_id: str, seat: str, user: User = Depends(current_user)):
    key = (screening_id, seat)
    async with _vip_lock:
        if key in vip_seat_owner:
            raise HTTPException(409, "seat already booked")
        vip_seat_owner[key] = user.id
    try:
        await payments.authorize(user.id, 3 * TICKET_PRICE_CENTS)
    except PaymentDeclined:
        vip_seat_owner.pop(key, None)
        raise HTTPException(402, "payment declined")
    return {"seat": seat, "owner": user.id}


@router.get("/{screening_id}/seats")
async def seat_map(screening_id: str):
    taken = [s for (sid, s) in seat_owner if sid == screening_id]
    vip = [s for (sid, s) in vip_seat_owner if sid == screening_id]
    return {"taken": sorted(taken), "vip_taken": sorted(vip)}
