"""Client for the payment provider's REST API. One instance per process, built in the lifespan
around a shared httpx.AsyncClient."""

import asyncio
import time
from dataclasses import dataclass

import httpx


class PaymentError(Exception):
    pass


@dataclass
class Authorization:
    payment_id: str
    status: str


class PaymentGateway:
    def __init__(self, http: httpx.AsyncClient, api_key: str) -> None:
        self._http = http
        self._headers = {"Authorization": f"Bearer {api_key}"}

    async def authorize(self, order_id: int, amount_cents: int, card_token: str) -> Authorization:
        payload = {
            "reference": str(order_id),
            "amount": amount_cents,
            "currency": "EUR",
            "source": card_token,
        }
        for attempt in range(3):
            response = await self._http.post("/authorizations", json=payload, headers=self._headers)
            if response.status_code != 503:
                break
            # Backing off with time.sleep freezes the whole worker, not just this request.
            time.sleep(0.2 * 2**attempt)  # expect: IL201
        if response.is_error:
            raise PaymentError(response.text)
        body = response.json()
        return Authorization(payment_id=body["id"], status=body["status"])

    async def refund(self, payment_id: str, amount_cents: int) -> str:
        for attempt in range(3):
            response = await self._http.post(
                f"/payments/{payment_id}/refunds", json={"amount": amount_cents}, headers=self._headers
            )
            if response.status_code != 503:
                break
            # The same backoff, done right: only this coroutine waits.
            await asyncio.sleep(0.2 * 2**attempt)
        if response.is_error:
            raise PaymentError(response.text)
        return response.json()["id"]

    async def void(self, payment_id: str) -> None:
        response = await self._http.post(f"/payments/{payment_id}/void", headers=self._headers)
        if response.is_error:
            raise PaymentError(response.text)
