"""Back office: dashboard, stock, refunds, exports, product images, search index."""

import asyncio
import csv
import io
import json
import secrets
import threading
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, HTTPException, Response, UploadFile
from PIL import Image
from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db import Order, Product, ReportSession
from app.deps import GatewayDep, RedisDep, ReportSessionDep, SessionDep
from app.schemas import StockChange

settings = get_settings()


async def require_staff(x_admin_token: Annotated[str, Header()]) -> None:
    if not settings.admin_token or not secrets.compare_digest(x_admin_token, settings.admin_token):
        raise HTTPException(403, "staff only")


router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_staff)])

THUMBNAIL_SIZES = (96, 320, 800)


class RequestCounter:
    # Dashboard views since this worker started; the other three workers count their own.
    count = 0  # expect: IL103


@router.get("/dashboard")
async def dashboard(session: SessionDep) -> dict[str, int]:
    current = RequestCounter.count
    paid = await session.scalar(select(func.count()).select_from(Order).where(Order.status == "paid"))
    # Written from the value read before the await: views counted meanwhile are lost.
    RequestCounter.count = current + 1  # expect: IL101
    return {"orders_to_ship": paid, "dashboard_views": RequestCounter.count}


@router.get("/dashboard:redis")
async def dashboard_redis(session: SessionDep, redis: RedisDep) -> dict[str, int]:
    # INCR is atomic and shared by all workers: no lost updates, one total.
    views = await redis.incr("admin:dashboard-views")
    paid = await session.scalar(select(func.count()).select_from(Order).where(Order.status == "paid"))
    return {"orders_to_ship": paid, "dashboard_views": views}


@router.post("/products/{product_id}/restock")
async def restock(product_id: int, change: StockChange, session: SessionDep) -> dict[str, int]:
    product = await session.get(Product, product_id)
    if product is None:
        raise HTTPException(404, "no such product")
    # Read into Python, add, write back: a checkout committing between the read and this commit
    # is overwritten, and the units it sold reappear as stock.
    product.stock = product.stock + change.quantity  # expect: IL105
    await session.commit()
    return {"stock": product.stock}


@router.post("/products/{product_id}/write-off")
async def write_off(product_id: int, change: StockChange, session: SessionDep) -> dict[str, int]:
    # The arithmetic happens in the database, in one statement.
    stock = await session.scalar(
        update(Product)
        .where(Product.id == product_id, Product.stock >= change.quantity)
        .values(stock=Product.stock - change.quantity)
        .returning(Product.stock)
    )
    if stock is None:
        raise HTTPException(409, "unknown product or not enough stock")
    await session.commit()
    return {"stock": stock}


async def get_paid_order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None or order.payment_id is None:
        raise HTTPException(404, "no paid order with this id")
    return order


@router.post("/orders/{order_id}/refund")
async def refund_order(order_id: int, session: SessionDep, gateway: GatewayDep) -> dict[str, str]:
    order = await get_paid_order(session, order_id)
    # Copied from a command-line script. The loop is already running here, so asyncio.run()
    # raises RuntimeError and the refund never happens.
    refund_id = asyncio.run(gateway.refund(order.payment_id, order.total_cents))  # expect: IL404
    order.status = "refunded"
    await session.commit()
    return {"refund_id": refund_id}


@router.post("/orders/{order_id}/void")
async def void_order(order_id: int, session: SessionDep, gateway: GatewayDep) -> dict[str, str]:
    order = await get_paid_order(session, order_id)
    await gateway.void(order.payment_id)
    order.status = "voided"
    await session.commit()
    return {"status": order.status}


@router.get("/exports/orders.csv")
def export_orders(session: ReportSessionDep) -> Response:
    # A sync handler: FastAPI runs it in the threadpool, so the blocking query and the CSV
    # building do not stall the event loop.
    rows = session.execute(
        select(Order.id, Order.email, Order.status, Order.total_cents, Order.created_at).order_by(Order.id)
    ).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "email", "status", "total_cents", "created_at"])
    writer.writerows(rows)
    return Response(buffer.getvalue(), media_type="text/csv")


@router.post("/products/{product_id}/image", status_code=201)
async def upload_image(product_id: int, upload: UploadFile) -> dict[str, list[str]]:
    data = await upload.read()

    def write_thumbnails() -> list[str]:
        # Decoding, resizing and writing files all block, but this function runs in a worker
        # thread (asyncio.to_thread below), not on the event loop.
        names = []
        with Image.open(io.BytesIO(data)) as original:
            for size in THUMBNAIL_SIZES:
                thumbnail = original.copy()
                thumbnail.thumbnail((size, size))
                name = f"{product_id}-{size}.webp"
                thumbnail.save(settings.media_dir / name, "WEBP")
                names.append(name)
        return names

    return {"thumbnails": await asyncio.to_thread(write_thumbnails)}


def rebuild_search_suggestions() -> None:
    """Writes the file the storefront's search box loads. Blocking; run it off the event loop."""
    with ReportSession() as session:
        names = session.scalars(select(Product.name).where(Product.stock > 0).order_by(Product.name)).all()
    tmp = settings.search_suggestions_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(names))
    tmp.replace(settings.search_suggestions_file)


# Whether a rebuild is running, as this worker knows it. Four workers can each start one.
REINDEX_JOB = {"running": False}  # expect: IL103


def _rebuild_then_clear_flag() -> None:
    try:
        rebuild_search_suggestions()
    finally:
        REINDEX_JOB["running"] = False


@router.post("/search/reindex", status_code=202)
async def reindex(redis: RedisDep) -> None:
    if REINDEX_JOB["running"]:
        raise HTTPException(409, "a rebuild is already running")
    await redis.delete("search:suggestions-etag")
    # Two clicks both passed the check above while this coroutine waited for Redis.
    REINDEX_JOB["running"] = True  # expect: IL104
    # A bare thread: nothing waits for it on shutdown, and its exceptions are only printed.
    threading.Thread(target=_rebuild_then_clear_flag, daemon=True).start()  # expect: IL402


async def _rebuild_and_release(redis: Redis) -> None:
    try:
        await asyncio.to_thread(rebuild_search_suggestions)
    finally:
        await redis.delete("search:reindex-lock")


@router.post("/search/reindex:claimed", status_code=202)
async def reindex_claimed(redis: RedisDep, background_tasks: BackgroundTasks) -> None:
    # Claim and check in one atomic Redis command, shared by all workers.
    if not await redis.set("search:reindex-lock", "1", nx=True, ex=3600):
        raise HTTPException(409, "a rebuild is already running")
    await redis.delete("search:suggestions-etag")
    background_tasks.add_task(_rebuild_and_release, redis)
