"""Orders after checkout: payment, receipts, invoices, shipping, cancellation."""

import asyncio
import threading

import httpx
from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.background import spawn
from app.config import get_settings
from app.db import Order, OrderEvent, Product
from app.deps import GatewayDep, HttpDep, SessionDep
from app.schemas import PaymentIn, QuoteRequest
from app.services import mailer

settings = get_settings()
router = APIRouter(prefix="/orders", tags=["orders"])

# At most four PDFs rendered at once; the renderer service falls over beyond that.
invoice_slots = threading.BoundedSemaphore(4)
packing_slip_slots = asyncio.Semaphore(4)


async def load_order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None:
        raise HTTPException(404, "no such order")
    return order


async def record_status_change(session: AsyncSession, request: Request, order: Order, status: str) -> None:
    order.status = status
    session.add(OrderEvent(order_id=order.id, status=status))
    await session.flush()
    # Order-status websockets (routers/ws.py) subscribe to this channel.
    await request.app.state.redis.publish(f"order:{order.id}", status)


async def notify_customer(http: httpx.AsyncClient, email: str, order_id: int, status: str) -> None:
    payload = {"to": email, "order": order_id, "status": status}
    await http.post(f"{settings.notifications_url}/push", json=payload)


@router.post("/{order_id}/pay")
async def pay_order(
    order_id: int, body: PaymentIn, request: Request, session: SessionDep, gateway: GatewayDep
) -> dict[str, str]:
    # Row lock until the commit: a second click on "Pay" waits here, then sees the order is paid.
    order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None or order.status != "pending":
        raise HTTPException(409, "order is not awaiting payment")
    authorization = await gateway.authorize(order.id, order.total_cents, body.card_token)
    order.payment_id = authorization.payment_id
    await record_status_change(session, request, order, "paid")
    await session.commit()
    return {"status": order.status}


@router.post("/{order_id}/receipt", status_code=202)
async def send_receipt(order_id: int, session: SessionDep) -> None:
    order = await load_order(session, order_id)
    # A sync SMTP conversation (app/services/mailer.py) on the event loop: every request on
    # this worker waits for the mail server.
    mailer.send_receipt_email(order.email, order.id, order.total_cents)  # expect: IL202


@router.post("/{order_id}/receipt:offloaded", status_code=202)
async def send_receipt_offloaded(order_id: int, session: SessionDep) -> None:
    order = await load_order(session, order_id)
    await asyncio.to_thread(mailer.send_receipt_email, order.email, order.id, order.total_cents)


@router.get("/{order_id}/invoice.pdf")
async def invoice_pdf(order_id: int, session: SessionDep, http: HttpDep) -> Response:
    order = await load_order(session, order_id)
    # A threading semaphore in a coroutine: the fifth concurrent request blocks the event loop
    # thread, and the four holders can never resume to release it.
    with invoice_slots:  # expect: IL204
        response = await http.post(f"{settings.pdf_renderer_url}/invoice", json={"order_id": order.id})
    return Response(response.content, media_type="application/pdf")


@router.get("/{order_id}/packing-slip.pdf")
async def packing_slip_pdf(order_id: int, session: SessionDep, http: HttpDep) -> Response:
    order = await load_order(session, order_id)
    async with packing_slip_slots:
        response = await http.post(f"{settings.pdf_renderer_url}/packing-slip", json={"order_id": order.id})
    return Response(response.content, media_type="application/pdf")


async def quote_line(http: httpx.AsyncClient, postcode: str, sku: str, quantity: int) -> int:
    response = await http.get(
        f"{settings.carrier_url}/quotes", params={"to": postcode, "sku": sku, "qty": quantity}
    )
    response.raise_for_status()
    return response.json()["price_cents"]


@router.post("/shipping-quote")
async def shipping_quote(body: QuoteRequest, http: HttpDep) -> dict[str, int]:
    # One carrier API call per line, all at once: a 500-line wholesale order fires 500
    # requests and trips the carrier's rate limit for every customer.
    prices = await asyncio.gather(  # expect: IL406
        *(quote_line(http, body.postcode, line.sku, line.quantity) for line in body.lines)
    )
    return {"shipping_cents": sum(prices)}


@router.post("/shipping-quote:bounded")
async def shipping_quote_bounded(body: QuoteRequest, http: HttpDep) -> dict[str, int]:
    # At most eight carrier calls in flight for this request.
    limit = asyncio.Semaphore(8)

    async def quote_limited(sku: str, quantity: int) -> int:
        async with limit:
            return await quote_line(http, body.postcode, sku, quantity)

    prices = await asyncio.gather(*(quote_limited(line.sku, line.quantity) for line in body.lines))
    return {"shipping_cents": sum(prices)}


@router.post("/{order_id}/ship")
async def ship_order(order_id: int, request: Request, session: SessionDep, http: HttpDep) -> dict[str, str]:
    order = await load_order(session, order_id)
    await record_status_change(session, request, order, "shipped")
    await session.commit()
    # Nobody keeps the task: it can be garbage-collected mid-flight, and its errors are never seen.
    asyncio.create_task(notify_customer(http, order.email, order.id, "shipped"))  # expect: IL401
    return {"status": order.status}


@router.post("/{order_id}/cancel")
async def cancel_order(order_id: int, request: Request, session: SessionDep, http: HttpDep) -> dict[str, str]:
    # Locking the order row and each product row makes the stock adjustment below safe.
    order = await session.scalar(
        select(Order).options(selectinload(Order.lines)).where(Order.id == order_id).with_for_update()
    )
    if order is None or order.status not in ("pending", "paid"):
        raise HTTPException(409, "order cannot be cancelled")
    for line in order.lines:
        product = (
            await session.execute(select(Product).where(Product.id == line.product_id).with_for_update())
        ).scalar_one()
        product.stock += line.quantity
    # Missing await: this creates a coroutine and drops it, so the status never changes and no
    # event is published. Python only warns "coroutine was never awaited" at garbage collection.
    record_status_change(session, request, order, "cancelled")  # expect: IL403
    await session.commit()
    spawn(notify_customer(http, order.email, order.id, "cancelled"))
    return {"status": order.status}
