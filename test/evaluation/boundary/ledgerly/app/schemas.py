from decimal import Decimal

from pydantic import BaseModel, Field


class TopUp(BaseModel):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)


class Payment(BaseModel):
    amount: Decimal = Field(gt=0)
    merchant: str


class Withdrawal(BaseModel):
    amount: Decimal = Field(gt=0)
    iban: str


class TransferIn(BaseModel):
    source_id: int
    target_id: int
    amount: Decimal = Field(gt=0)


class StatementRequest(BaseModel):
    month: str
    currencies: list[str]


class StatementTotals(BaseModel):
    currency: str
    net: Decimal = Decimal("0.00")
    entries: int = 0


class RedeemRequest(BaseModel):
    reward_id: int


class AwardRequest(BaseModel):
    order_total: Decimal


class SetPoints(BaseModel):
    points: int = Field(ge=0)
    reason: str


class NotifyRequest(BaseModel):
    device_tokens: list[str]
    message: str


class BroadcastRequest(BaseModel):
    message: str


class ConsumeRequest(BaseModel):
    units: int = Field(gt=0)
