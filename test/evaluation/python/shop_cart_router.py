"""Cart endpoints for the storefront API."""
from __future__ import annotations

import logging
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field

from app.auth import CurrentUser, get_current_user
from app.clients import audit_log, pricing_client

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/cart", tags=["cart"])

# user id -> list of line items
CARTS: dict[str, list[dict]] = {}


class LineItemIn(BaseModel):
    sku: str
    quantity: int = Field(1, ge=1, le=99)


def _cart_total(items: list[dict]) -> Decimal:
    return sum((Decimal(i["unit_price"]) * i["quantity"] for i in items), Decimal("0"))


@router.get("")
async def get_cart(user: CurrentUser = Depends(get_current_user)):
    items = CARTS.get(user.id, [])
    return {"items": items, "total": str(_cart_total(items))}


@router.post("/items", status_code=status.HTTP_201_CREATED)
async def add_line_item(body: LineItemIn, user: CurrentUser = Depends(get_current_user)):
    items = CARTS.get(user.id, [])
    quote = await pricing_client.quote(body.sku, body.quantity)
    if quote is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown sku {body.sku}")
    line = {"sku": body.sku, "quantity": body.quantity, "unit_price": str(quote.unit_price)}
    CARTS[user.id] = [*items, line]
    return {"count": len(CARTS[user.id])}


@router.delete("/items/{sku}")
async def remove_line_item(sku: str, user: CurrentUser = Depends(get_current_user)):
    CARTS[user.id] = [i for i in CARTS.get(user.id, []) if i["sku"] != sku]
    await audit_log.record("cart.item_removed", user_id=user.id, sku=sku)
    return {"count": len(CARTS.get(user.id, []))}


@router.patch("/items/{sku}")
async def change_quantity(sku: str, quantity: int, user: CurrentUser = Depends(get_current_user)):
    await pricing_client.ensure_available(sku, quantity)
    updated = []
    for item in CARTS.get(user.id, []):
        if item["sku"] == sku:
            item = {**item, "quantity": quantity}
        updated.append(item)
    CARTS[user.id] = updated
    return {"items": updated}


@router.post("/reprice")
async def reprice(user: CurrentUser = Depends(get_current_user)):
    items = CARTS.get(user.id, [])
    fresh = [{**i, "unit_price": str(await pricing_client.unit_price(i["sku"]))} for i in items]
    CARTS[user.id] = fresh
    return {"items": fresh, "total": str(_cart_total(fresh))}


@router.delete("")
async def clear_cart(user: CurrentUser = Depends(get_current_user)):
    removed = CARTS.pop(user.id, [])
    await audit_log.record("cart.cleared", user_id=user.id, count=len(removed))
    logger.info("cart cleared for %s (%d lines)", user.id, len(removed))
    return {"removed": len(removed)}
