"""Shopping carts, kept in this process's memory."""

import asyncio

from fastapi import APIRouter, HTTPException

from app.db import Customer, Product
from sqlalchemy.ext.asyncio import AsyncSession

from app.deps import CustomerDep, SessionDep
from app.schemas import CartItem, QuantityChange
from app.services.checkout import OutOfStock, create_order

router = APIRouter(prefix="/carts", tags=["cart"])

# cart id -> {product id: quantity}. Fine on a laptop; with four gunicorn workers each worker has
# its own CARTS, and a customer's next request often lands on a worker that has never seen the
# cart. Keep carts in Redis or the database.
CARTS: dict[str, dict[int, int]] = {}  # expect: IL103
cart_lock = asyncio.Lock()


@router.get("/{cart_id}")
async def get_cart(cart_id: str) -> dict[int, int]:
    return CARTS.get(cart_id, {})


@router.post("/{cart_id}/items")
async def add_item(cart_id: str, item: CartItem, session: SessionDep) -> dict[int, int]:
    CARTS.setdefault(cart_id, {})
    current = CARTS[cart_id].get(item.product_id, 0)
    product = await session.get(Product, item.product_id)
    if product is None or product.stock < current + item.quantity:
        raise HTTPException(409, "not enough stock")
    # `current` was read before the await; a concurrent add of the same product is overwritten.
    CARTS[cart_id][item.product_id] = current + item.quantity  # expect: IL101
    return CARTS[cart_id]


@router.post("/{cart_id}/items:locked")
async def add_item_locked(cart_id: str, item: CartItem, session: SessionDep) -> dict[int, int]:
    # Read, stock check and write happen under one lock, so no other add interleaves. The lock is
    # per worker: it fixes the lost update, not the per-process CARTS.
    async with cart_lock:
        CARTS.setdefault(cart_id, {})
        current = CARTS[cart_id].get(item.product_id, 0)
        product = await session.get(Product, item.product_id)
        if product is None or product.stock < current + item.quantity:
            raise HTTPException(409, "not enough stock")
        CARTS[cart_id][item.product_id] = current + item.quantity
        return CARTS[cart_id]


@router.patch("/{cart_id}/items/{product_id}")
async def change_quantity(
    cart_id: str, product_id: int, change: QuantityChange, session: SessionDep
) -> dict[int, int]:
    product = await session.get(Product, product_id)
    if product is None:
        raise HTTPException(404, "no such product")
    # The cart is read after the await, and nothing suspends between this read and the write.
    CARTS.setdefault(cart_id, {})
    current = CARTS[cart_id].get(product_id, 0)
    CARTS[cart_id][product_id] = max(0, min(current + change.delta, product.stock))
    return CARTS[cart_id]


async def order_from_cart(session: AsyncSession, customer_id: int, items: dict[int, int]) -> int:
    customer = await session.get(Customer, customer_id)
    try:
        order = await create_order(session, customer_id, customer.email, items)
    except OutOfStock as exc:
        raise HTTPException(409, str(exc)) from exc
    return order.id


@router.post("/{cart_id}/checkout", status_code=201)
async def checkout(cart_id: str, customer_id: CustomerDep, session: SessionDep) -> dict[str, int]:
    if not CARTS.get(cart_id):
        raise HTTPException(400, "cart is empty")
    order_id = await order_from_cart(session, customer_id, CARTS[cart_id])
    # A double-clicked "Place order" passes the emptiness check twice: two orders are created
    # from one cart, and the second request then fails here with a KeyError.
    del CARTS[cart_id]  # expect: IL104
    return {"order_id": order_id}


@router.post("/{cart_id}/checkout:locked", status_code=201)
async def checkout_locked(cart_id: str, customer_id: CustomerDep, session: SessionDep) -> dict[str, int]:
    # The check and the delete under one lock: the second click waits, then finds the cart empty.
    async with cart_lock:
        if not CARTS.get(cart_id):
            raise HTTPException(400, "cart is empty")
        order_id = await order_from_cart(session, customer_id, CARTS[cart_id])
        del CARTS[cart_id]
    return {"order_id": order_id}
