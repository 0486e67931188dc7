"""Firmware images and release notes for OTA updates."""
import asyncio
import hashlib
import json
from pathlib import Path

import aiofiles
from aiohttp import web

FIRMWARE_DIR = Path("/srv/firmware")
MANIFEST = json.loads((FIRMWARE_DIR / "manifest.json").read_text())


def _read_release_notes(version: str) -> str:
    with open(FIRMWARE_DIR / f"{version}.md", encoding="utf-8") as fh:
        return fh.read()


def _channel_for(version: str) -> str:
    return MANIFEST.get("channels", {}).get(version, "stable")


class FirmwareView(web.View):
    async def get(self) -> web.Response:
        version = self.request.match_info["version"]
        with open(FIRMWARE_DIR / f"{version}.bin", "rb") as fh:
            blob = fh.read()
        digest = hashlib.sha256(blob).hexdigest()
        return web.Response(body=blob, headers={"X-Firmware-SHA256": digest, "X-Channel": _channel_for(version)})

    async def head(self) -> web.Response:
        version = self.request.match_info["version"]
        async with aiofiles.open(FIRMWARE_DIR / f"{version}.bin", "rb") as fh:
            blob = await fh.read()
        return web.Response(headers={"Content-Length": str(len(blob))})

    async def put(self) -> web.Response:
        version = self.request.match_info["version"]
        data = await self.request.read()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, lambda: (FIRMWARE_DIR / f"{version}.bin").write_bytes(data))
        return web.json_response({"version": version, "bytes": len(data)}, status=201)


async def release_notes(request: web.Request) -> web.Response:
    notes = _read_release_notes(request.match_info["version"])
    return web.Response(text=notes, content_type="text/markdown")


async def release_notes_offloaded(request: web.Request) -> web.Response:
    notes = await asyncio.to_thread(_read_release_notes, request.match_info["version"])
    return web.Response(text=notes, content_type="text/plain")
