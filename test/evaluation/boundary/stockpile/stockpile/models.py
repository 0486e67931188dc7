from datetime import datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(index=True, unique=True)
    name: str
    price: Decimal = Field(default=Decimal("0.00"), max_digits=10, decimal_places=2)
    stock: int = 0
    reserved: int = 0


class Warehouse(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    capacity: int
    capacity_used: int = 0


class Order(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(index=True)
    status: str = "draft"
    total: Decimal = Field(default=Decimal("0.00"), max_digits=12, decimal_places=2)
    item_count: int = 0
    shipping_fee: Decimal = Field(default=Decimal("0.00"), max_digits=8, decimal_places=2)
    paid_at: datetime | None = None


class OrderLine(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    sku: str
    quantity: int
    unit_price: Decimal = Field(max_digits=10, decimal_places=2)


class Subscriber(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(index=True)
    url: str
    secret: str
