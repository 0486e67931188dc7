from pydantic import BaseModel, EmailStr, Field


class Credentials(BaseModel):
    email: EmailStr
    password: str = Field(min_length=10)


class CartItem(BaseModel):
    product_id: int
    quantity: int = Field(gt=0, le=20)


class QuantityChange(BaseModel):
    delta: int


class ProductOut(BaseModel):
    model_config = {"from_attributes": True}

    id: int
    sku: str
    name: str
    price_cents: int


class ProductDetail(ProductOut):
    available: int
    reviews: list[dict]
    related: list[int]


class PaymentIn(BaseModel):
    card_token: str


class QuoteLine(BaseModel):
    sku: str
    quantity: int = Field(gt=0)


class QuoteRequest(BaseModel):
    postcode: str
    lines: list[QuoteLine]


class StatusUpdate(BaseModel):
    status: str


class StockChange(BaseModel):
    quantity: int = Field(gt=0)
    reason: str = ""
