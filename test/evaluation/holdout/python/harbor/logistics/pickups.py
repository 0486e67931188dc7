"""Pickup booking, rates, labels and manifest upload."""
import asyncio
import ftplib
import io
import os
import time
from functools import lru_cache

import aiohttp
import requests
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .carriers import CARRIER_URLS, book_pickup, label_pdf, volumetric_weight

MANIFEST_HOST = os.environ.get("MANIFEST_FTP_HOST", "ftp.manifests.example")


@lru_cache(maxsize=8)
async def carrier_token(carrier: str) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{CARRIER_URLS[carrier]}/oauth/token", data={"grant_type": "client_credentials"}) as resp:
            return (await resp.json())["access_token"]


async def create_pickup(request: Request) -> JSONResponse:
    body = await request.json()
    body["volumetric_kg"] = volumetric_weight(body["l"], body["w"], body["h"])
    booking = book_pickup(body["carrier"], body)
    return JSONResponse(booking, status_code=201)


async def create_pickup_offloaded(request: Request) -> JSONResponse:
    body = await request.json()
    booking = await run_in_threadpool(book_pickup, body["carrier"], body)
    return JSONResponse(booking, status_code=201)


async def pickup_slots(request: Request) -> JSONResponse:
    carrier = request.path_params["carrier"]
    token = await carrier_token(carrier)
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session:
        async with session.get(f"{CARRIER_URLS[carrier]}/pickup-slots") as resp:
            slots = await resp.json()
    return JSONResponse(slots)


async def legacy_rates(request: Request) -> JSONResponse:
    carrier = request.path_params["carrier"]
    for attempt in range(3):
        resp = requests.get(f"{CARRIER_URLS[carrier]}/rates", timeout=5)
        if resp.status_code != 429:
            break
        time.sleep(0.25 * (attempt + 1))
    return JSONResponse(resp.json())


async def rates_with_backoff(request: Request) -> JSONResponse:
    carrier = request.path_params["carrier"]
    for attempt in range(3):
        resp = await request.app.state.carriers.get(f"/rates/{carrier}")
        if resp.status_code != 429:
            break
        await asyncio.sleep(0.25 * (attempt + 1))
    return JSONResponse(resp.json())


async def upload_manifest(request: Request) -> JSONResponse:
    data = await request.body()
    ftp = ftplib.FTP(MANIFEST_HOST, timeout=15)
    try:
        ftp.login("harbor", os.environ.get("MANIFEST_FTP_PASSWORD", ""))
        ftp.storbinary(f"STOR manifest-{int(time.time())}.csv", io.BytesIO(data))
    finally:
        ftp.quit()
    return JSONResponse({"uploaded": len(data)})


async def label(request: Request) -> Response:
    pdf = label_pdf(request.path_params["carrier"], request.path_params["tracking_no"])
    return Response(pdf, media_type="application/pdf")


def label_sync(request: Request) -> Response:
    pdf = label_pdf(request.path_params["carrier"], request.path_params["tracking_no"])
    return Response(pdf, media_type="application/pdf")


routes = [
    Route("/", create_pickup, methods=["POST"]),
    Route("/offloaded", create_pickup_offloaded, methods=["POST"]),
    Route("/{carrier}/slots", pickup_slots),
    Route("/{carrier}/rates", legacy_rates),
    Route("/{carrier}/rates/v2", rates_with_backoff),
    Route("/manifests", upload_manifest, methods=["POST"]),
    Route("/{carrier}/{tracking_no}/label", label),
    Route("/{carrier}/{tracking_no}/label.pdf", label_sync),
]
