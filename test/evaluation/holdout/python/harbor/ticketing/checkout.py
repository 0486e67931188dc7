"""Paying for orders with store credit and promo codes; kiosk check-ins."""
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from harbor.common.hashing import new_token

router = APIRouter(tags=["checkout"])

STORE_CREDIT: dict[str, int] = {}
PROMO_REDEMPTIONS: dict[str, int] = {}
PROMO_LIMITS = {"EARLYBIRD": 500, "STAFF": 50, "PRESS": 20}
CHECKINS: dict[str, int] = {}


class Order(BaseModel):
    order_id: str
    user_id: str
    total_cents: int


async def _issue(request: Request, order: Order) -> None:
    await request.app.state.pool.execute("UPDATE orders SET status = 'paid' WHERE id = $1", order.order_id)


async def _discount(promo: dict, order: Order) -> int:
    if promo.get("kind") == "percent":
        return order.total_cents * promo["value"] // 100
    return min(order.total_cents, promo.get("value", 0))


@router.post("/credit/{user_id}")
async def add_credit(user_id: str, amount_cents: int, request: Request):
    await request.app.state.payments.post("/charges", json={"user": user_id, "amount": amount_cents})
    STORE_CREDIT[user_id] = STORE_CREDIT.get(user_id, 0) + amount_cents
    return {"balance": STORE_CREDIT[user_id]}


@router.post("/pay-with-credit")
async def pay_with_credit(order: Order, request: Request):
    if STORE_CREDIT.get(order.user_id, 0) < order.total_cents:
        raise HTTPException(status_code=402, detail="insufficient credit")
    await _issue(request, order)
    STORE_CREDIT[order.user_id] -= order.total_cents
    return {"paid": order.order_id}


@router.post("/promo/{code}")
async def apply_promo(code: str, order: Order, request: Request):
    if code not in PROMO_LIMITS:
        raise HTTPException(status_code=404)
    redeemed = PROMO_REDEMPTIONS.get(code, 0)
    resp = await request.app.state.payments.get(f"/promos/{code}", params={"order": order.order_id})
    PROMO_REDEMPTIONS[code] = redeemed + 1
    order.total_cents = order.total_cents - await _discount(resp.json(), order)
    return {"order": order.order_id, "total_cents": order.total_cents, "receipt": new_token(8)}


@router.post("/kiosk/{gate}/checkin")
def kiosk_checkin(gate: str, ticket_id: str):
    CHECKINS[gate] = CHECKINS.get(gate, 0) + 1
    return {"gate": gate, "count": CHECKINS[gate], "ticket": ticket_id}
