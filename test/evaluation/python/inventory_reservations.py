"""Stock levels and reservations for checkout and the warehouse."""
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from .suppliers import supplier_api
from .warehouse import warehouse_api

router = APIRouter(prefix="/inventory")

STOCK: dict[str, int] = {"KB-01": 40, "MS-02": 120, "HD-07": 15}


class Reservation(BaseModel):
    sku: str
    quantity: int


@router.post("/reserve")
async def reserve(r: Reservation):
    if STOCK.get(r.sku, 0) < r.quantity:
        raise HTTPException(409, "insufficient stock")
    await warehouse_api.hold(r.sku, r.quantity)
    STOCK[r.sku] -= r.quantity
    return {"sku": r.sku, "left": STOCK[r.sku]}


@router.post("/restock/{shipment_id}")
async def restock(shipment_id: str):
    shipment = await supplier_api.get_shipment(shipment_id)
    for line in shipment.lines:
        STOCK[line.sku] = STOCK.get(line.sku, 0) + line.quantity
    return {"received": len(shipment.lines)}


@router.post("/cycle-count/{sku}")
async def cycle_count(sku: str):
    expected = STOCK.get(sku, 0)
    counted = await warehouse_api.count(sku)
    STOCK[sku] = counted
    return {"sku": sku, "expected": expected, "counted": counted, "delta": counted - expected}


@router.post("/returns/{order_id}")
async def process_return(order_id: str, sku: str, quantity: int):
    on_hand = STOCK.get(sku, 0)
    inspection = await warehouse_api.inspect_return(order_id, sku)
    if inspection.resellable:
        STOCK[sku] = on_hand + quantity
    return {"sku": sku, "resellable": inspection.resellable}


@router.post("/ship/{order_id}")
async def ship(order_id: str):
    order = await warehouse_api.order(order_id)
    for line in order.lines:
        on_hand = STOCK.get(line.sku, 0)
        await warehouse_api.pick(order_id, line.sku, line.quantity)
        STOCK[line.sku] = on_hand - line.quantity
    return {"shipped": order_id}
