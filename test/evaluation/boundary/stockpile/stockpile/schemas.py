from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, HttpUrl


class Restock(BaseModel):
    quantity: int = Field(gt=0)


class ProductPatch(BaseModel):
    price: Decimal = Field(gt=0)


class PalletMove(BaseModel):
    pallets: int = Field(gt=0)


class LineIn(BaseModel):
    sku: str
    quantity: int = Field(gt=0)
    unit_price: Decimal = Field(gt=0)


class OrderCreate(BaseModel):
    customer_id: int
    lines: list[LineIn] = []


class ShippingUpdate(BaseModel):
    shipping_fee: Decimal = Field(ge=0)


class PriceRow(BaseModel):
    sku: str
    price: Decimal
    currency: str = "EUR"


class PriceImport(BaseModel):
    rows: list[PriceRow]


class StockCount(BaseModel):
    sku: str
    counted: int = Field(ge=0)


class StockCountImport(BaseModel):
    counts: list[StockCount]


class ImportReport(BaseModel):
    received: int
    updated: int = 0
    total_units: int = 0
    failed: list[str] = []


class EventIn(BaseModel):
    topic: str
    data: dict[str, Any]


class Target(BaseModel):
    url: HttpUrl
    secret: str


class ReplayRequest(BaseModel):
    targets: list[Target]
    payload: dict[str, Any]
