"""Turning a cart into an order."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Order, OrderLine, Product


class OutOfStock(Exception):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"product {product_id} is out of stock")
        self.product_id = product_id


async def create_order(session: AsyncSession, customer_id: int, email: str, items: dict[int, int]) -> Order:
    # lines=[] marks the collection as loaded, so appending after the first flush needs no lazy load.
    order = Order(customer_id=customer_id, email=email, status="pending", lines=[])
    session.add(order)
    total = 0
    for product_id, quantity in sorted(items.items()):
        # Check and decrement in one UPDATE: two checkouts cannot both take the last unit.
        price = await session.scalar(
            update(Product)
            .where(Product.id == product_id, Product.stock >= quantity)
            .values(stock=Product.stock - quantity)
            .returning(Product.price_cents)
        )
        if price is None:
            raise OutOfStock(product_id)
        order.lines.append(OrderLine(product_id=product_id, quantity=quantity, unit_price_cents=price))
        total += price * quantity
    order.total_cents = total
    await session.commit()
    return order
