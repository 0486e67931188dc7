import asyncio
import io
import os
import uuid

import httpx
from PIL import Image

STORAGE_URL = os.environ.get("THUMB_STORAGE_URL", "https://storage.marquee.example/thumbs")


def _resize(data: bytes, size: int) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img.thumbnail((size, size))
        out = io.BytesIO()
        img.convert("RGB").save(out, format="JPEG", quality=85)
        return out.getvalue()


async def make_thumbnail(client: httpx.AsyncClient, source_url: str, size: int) -> str:
    original = await client.get(source_url)
    original.raise_for_status()
    jpeg = await asyncio.to_thread(_resize, original.content, size)
    key = f"{uuid.uuid4().hex}_{size}.jpg"
    put = await client.put(f"{STORAGE_URL}/{key}", content=jpeg, headers={"Content-Type": "image/jpeg"})
    put.raise_for_status()
    return f"{STORAGE_URL}/{key}"
