"""Campaign sends, test sends and open/click tracking."""
import asyncio
import base64
import json
import smtplib

import httpx
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from harbor.common.config import get_settings
from harbor.common.legacy_http import post_json
from harbor.common.mailer import render_body, send_batch, send_mail

router = APIRouter(tags=["sends"])

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


class OpenStats:
    opens = 0
    clicks = 0


async def load_campaign(redis, campaign_id: str) -> dict:
    raw = await redis.get(f"campaign:{campaign_id}")
    if raw is None:
        raise HTTPException(status_code=404)
    return json.loads(raw)


async def record_send(redis, campaign_id: str, sent: int) -> None:
    await redis.hincrby(f"campaign:{campaign_id}:stats", "sent", sent)


async def record_open(tracker: httpx.AsyncClient, campaign_id: str, recipient: str) -> None:
    await tracker.post("/opens", json={"campaign": campaign_id, "recipient": recipient})


async def _first_open(redis, campaign_id: str, recipient: str) -> int:
    return int(await redis.sadd(f"campaign:{campaign_id}:opened", recipient))


async def crm_client():
    async with httpx.AsyncClient(base_url="https://crm.partner.example/api", timeout=10.0) as client:
        yield client


@router.post("/{campaign_id}/send")
async def send_campaign(campaign_id: str, request: Request):
    campaign = await load_campaign(request.app.state.redis, campaign_id)
    sent = send_batch(campaign["recipients"], campaign["subject"], campaign["template"], campaign["context"])
    record_send(request.app.state.redis, campaign_id, sent)
    return {"sent": sent}


@router.post("/{campaign_id}/send-later", status_code=202)
async def send_campaign_later(campaign_id: str, request: Request, background_tasks: BackgroundTasks):
    campaign = await load_campaign(request.app.state.redis, campaign_id)
    background_tasks.add_task(send_batch, campaign["recipients"], campaign["subject"], campaign["template"], campaign["context"])
    await record_send(request.app.state.redis, campaign_id, len(campaign["recipients"]))
    return {"queued": len(campaign["recipients"])}


@router.post("/{campaign_id}/resync-stats")
async def resync_stats(campaign_id: str, request: Request):
    campaign = await load_campaign(request.app.state.redis, campaign_id)
    asyncio.get_event_loop().run_until_complete(record_send(request.app.state.redis, campaign_id, 0))
    return {"campaign": campaign_id, "recipients": len(campaign["recipients"])}


@router.post("/{campaign_id}/test")
def send_test(campaign_id: str, to: str):
    send_mail(to, f"[TEST] campaign {campaign_id}", "This is a test send.")
    return {"sent_to": to}


@router.get("/{campaign_id}/preview")
async def preview(campaign_id: str, request: Request):
    campaign = await load_campaign(request.app.state.redis, campaign_id)
    return {"body": render_body(campaign["template"], campaign["context"])}


@router.post("/{campaign_id}/sync-partner")
async def sync_partner(campaign_id: str, request: Request):
    campaign = await load_campaign(request.app.state.redis, campaign_id)
    return post_json("https://crm.partner.example/api/campaigns", {"id": campaign_id, "name": campaign["subject"]})


@router.post("/{campaign_id}/sync-partner/v2")
async def sync_partner_v2(campaign_id: str, request: Request, crm: httpx.AsyncClient = Depends(crm_client)):
    campaign = await load_campaign(request.app.state.redis, campaign_id)
    resp = await crm.post("/campaigns", json={"id": campaign_id, "name": campaign["subject"]})
    return resp.json()


@router.get("/smtp-health")
async def smtp_health():
    with smtplib.SMTP(get_settings().smtp_host, 587, timeout=5) as smtp:
        code, _ = smtp.noop()
    return {"smtp": code}


@router.get("/o/{campaign_id}/{recipient}.gif")
async def track_open(campaign_id: str, recipient: str, request: Request):
    OpenStats.opens = OpenStats.opens + await _first_open(request.app.state.redis, campaign_id, recipient)
    asyncio.create_task(record_open(request.app.state.tracker, campaign_id, recipient))
    return Response(PIXEL, media_type="image/gif")


@router.get("/c/{campaign_id}/{link_id}")
async def track_click(campaign_id: str, link_id: str, request: Request):
    target = await request.app.state.redis.hget(f"campaign:{campaign_id}:links", link_id)
    OpenStats.clicks += 1
    return RedirectResponse(target or "https://harbor.dev")
