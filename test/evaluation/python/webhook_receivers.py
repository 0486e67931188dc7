"""Inbound webhooks from GitHub and Stripe."""
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Header, HTTPException, Request

from .ci import trigger_build
from .billing import apply_stripe_event

log = logging.getLogger("webhooks")
router = APIRouter(prefix="/webhooks")

GITHUB_SECRET = os.environ.get("GITHUB_WEBHOOK_SECRET", "").encode()
EVENT_HANDLERS: dict[str, Callable[[dict], Awaitable[None]]] = {}
_github_deliveries: set[str] = set()
_stripe_events: set[str] = set()


def on(event: str):
    def register(fn: Callable[[dict], Awaitable[None]]):
        EVENT_HANDLERS[event] = fn
        return fn
    return register


@on("push")
async def handle_push(payload: dict) -> None:
    await trigger_build(payload["repository"]["full_name"], payload["after"])


@on("ping")
async def handle_ping(payload: dict) -> None:
    log.info("github ping: %s", payload.get("zen"))


def _verify(body: bytes, signature: str | None) -> None:
    expected = "sha256=" + hmac.new(GITHUB_SECRET, body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature):
        raise HTTPException(401, "bad signature")


@router.post("/github")
async def github(
    request: Request,
    x_github_delivery: str = Header(...),
    x_github_event: str = Header(...),
    x_hub_signature_256: str | None = Header(None),
):
    body = await request.body()
    _verify(body, x_hub_signature_256)
    if x_github_delivery in _github_deliveries:
        return {"status": "duplicate"}
    handler = EVENT_HANDLERS.get(x_github_event)
    if handler is not None:
        await handler(json.loads(body))
    _github_deliveries.add(x_github_delivery)
    return {"status": "processed"}


@router.post("/stripe")
async def stripe(request: Request):
    event = json.loads(await request.body())
    event_id = event["id"]
    if event_id in _stripe_events:
        return {"status": "duplicate"}
    _stripe_events.add(event_id)
    try:
        await apply_stripe_event(event)
    except Exception:
        _stripe_events.discard(event_id)
        raise
    return {"status": "processed"}
