"""Order intake for the pop-up store. Everything lives in module globals."""
import time

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from .kitchen import notify_kitchen
from .pricing import price_order

app = FastAPI()

order_seq = 0
revenue_cents = 0
recent_orders: list[dict] = []
opened_at = time.time()


class Order(BaseModel):
    items: list[str]
    table: int


@app.post("/orders")
async def place_order(order: Order):
    global order_seq, revenue_cents
    order_seq += 1
    number = order_seq
    revenue_cents += await price_order(order.items)
    await notify_kitchen(number, order.items)
    recent_orders.append({"no": number, "table": order.table})
    return {"order_no": number}


@app.get("/summary")
async def summary():
    hours = max((time.time() - opened_at) / 3600, 0.01)
    return {"orders": order_seq, "revenue_cents": revenue_cents, "per_hour": round(order_seq / hours, 1), "recent": recent_orders[-5:]}


@app.post("/orders/{number}/void")
async def void_order(number: int, refund_cents: int):
    global revenue_cents
    if refund_cents <= 0:
        raise HTTPException(400, "refund must be positive")
    await notify_kitchen(number, [], voided=True)
    revenue_cents -= refund_cents
    return {"ok": True}
