"""Payment and refund creation with Idempotency-Key support."""
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel

from .psp import psp_client

app = FastAPI()

_payment_results: dict[str, dict] = {}
_refund_results: dict[str, dict] = {}
_refunds_in_progress: set[str] = set()


class PaymentIn(BaseModel):
    amount: int
    currency: str
    source: str


@app.post("/payments")
async def create_payment(body: PaymentIn, idempotency_key: str = Header(...)):
    if idempotency_key in _payment_results:
        return _payment_results[idempotency_key]
    charge = await psp_client.charge(body.amount, body.currency, body.source)
    result = {"id": charge.id, "status": charge.status, "amount": body.amount}
    _payment_results[idempotency_key] = result
    return result


@app.post("/payments/{payment_id}/refund")
async def refund(payment_id: str, idempotency_key: str = Header(...)):
    if idempotency_key in _refund_results:
        return _refund_results[idempotency_key]
    if idempotency_key in _refunds_in_progress:
        raise HTTPException(409, "a refund with this key is in progress")
    _refunds_in_progress.add(idempotency_key)
    try:
        result = await psp_client.refund(payment_id)
        _refund_results[idempotency_key] = {"id": result.id, "status": result.status}
    finally:
        _refunds_in_progress.discard(idempotency_key)
    return _refund_results[idempotency_key]
