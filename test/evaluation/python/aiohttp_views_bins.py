"""Warehouse bin API on aiohttp class-based views."""
from aiohttp import web

from .scanner import scanner_api

BINS: dict[str, list[str]] = {}
MOVES_LOG: list[tuple[str, str, tuple[str, ...]]] = []


class BinView(web.View):
    async def get(self) -> web.Response:
        bin_id = self.request.match_info["bin_id"]
        return web.json_response({"bin": bin_id, "items": BINS.get(bin_id, [])})

    async def post(self) -> web.Response:
        bin_id = self.request.match_info["bin_id"]
        payload = await self.request.json()
        contents = BINS.get(bin_id, [])
        scanned = await scanner_api.verify(payload["barcode"])
        BINS[bin_id] = contents + [scanned.sku]
        return web.json_response({"items": BINS[bin_id]}, status=201)


class MoveView(web.View):
    async def post(self) -> web.Response:
        body = await self.request.json()
        src, dst, skus = body["from"], body["to"], list(body["skus"])
        self.confirmed = 0
        for sku in skus:
            self.confirmed += await scanner_api.confirm_move(src, dst, sku)
        if self.confirmed != len(skus):
            raise web.HTTPServiceUnavailable(text="scanner did not confirm every item")
        source_items = BINS.get(src, [])
        missing = [s for s in skus if s not in source_items]
        if missing:
            raise web.HTTPConflict(text=f"not in {src}: {missing}")
        BINS[src] = [s for s in source_items if s not in skus]
        BINS.setdefault(dst, []).extend(skus)
        MOVES_LOG.append((src, dst, tuple(skus)))
        return web.json_response({"moved": self.confirmed})


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_view("/bins/{bin_id}", BinView)
    app.router.add_view("/moves", MoveView)
    return app
