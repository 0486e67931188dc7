import asyncio

import httpx
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from .. import thumbs
from ..models import Poster

THUMB_SIZES = (128, 512, 1024)


async def generate_thumbnails(request: Request) -> JSONResponse:
    body = await request.json()
    client: httpx.AsyncClient = request.app.state.http
    size = int(body.get("size", 256))
    urls = await asyncio.gather(
        *(thumbs.make_thumbnail(client, url, size) for url in body["image_urls"])
    )
    return JSONResponse({"thumbnails": urls})


async def poster_variants(request: Request) -> JSONResponse:
    poster_id = int(request.path_params["poster_id"])
    async with request.app.state.sessions() as session:
        poster = await session.get(Poster, poster_id)
    if poster is None:
        raise HTTPException(status_code=404)
    client: httpx.AsyncClient = request.app.state.http
    urls = await asyncio.gather(
        *(thumbs.make_thumbnail(client, poster.source_url, s) for s in THUMB_SIZES)
    )
    return JSONResponse(dict(zip(map(str, THUMB_SIZES), urls)))


async def retry_poster(request: Request) -> JSONResponse:
    poster_id = int(request.path_params["poster_id"])
    client: httpx.AsyncClient = request.app.state.http
    async with request.app.state.sessions() as session:
        poster = await session.get(Poster, poster_id)
        if poster is None:
            raise HTTPException(status_code=404)
        if poster.attempts >= 5:
            raise HTTPException(status_code=422, detail="too many attempts")
        poster.attempts = poster.attempts + 1
        poster.thumb_status = "pending"
        await session.commit()
        try:
            poster.thumb_url = await thumbs.make_thumbnail(client, poster.source_url, 256)
            poster.thumb_status = "ready"
        except httpx.HTTPError:
            poster.thumb_status = "failed"
        await session.commit()
    return JSONResponse({"status": poster.thumb_status, "attempts": poster.attempts})
