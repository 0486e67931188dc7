"""Promo codes with a limited number of redemptions."""
from fastapi import FastAPI, HTTPException

from .orders import orders_api

app = FastAPI()

remaining_uses: dict[str, int] = {"WELCOME10": 500, "SPRING25": 100}
claimed_by: dict[str, set[str]] = {}


@app.post("/coupons/{code}/redeem")
async def redeem(code: str, order_id: str):
    if (left := remaining_uses.get(code)) is None:
        raise HTTPException(404, "unknown code")
    if left <= 0:
        raise HTTPException(410, "code exhausted")
    await orders_api.apply_discount(order_id, code)
    remaining_uses[code] -= 1
    return {"remaining": remaining_uses[code]}


@app.post("/coupons/{code}/claim")
async def claim_credit(code: str, user_id: str):
    claimants = claimed_by.setdefault(code, set())
    if user_id in claimants:
        raise HTTPException(409, "already claimed")
    claimants.add(user_id)
    try:
        await orders_api.grant_credit(user_id, code)
    except Exception:
        claimants.discard(user_id)
        raise
    return {"ok": True}


@app.get("/coupons/{code}")
async def coupon_info(code: str):
    if code not in remaining_uses:
        raise HTTPException(404, "unknown code")
    return {"code": code, "remaining": remaining_uses[code], "claims": len(claimed_by.get(code, ()))}
