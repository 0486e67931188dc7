"""Leaderboard service on aiohttp."""
import aiohttp
from aiohttp import web

from .achievements import achievement_bonus

routes = web.RouteTableDef()

SCORING_URL = "http://scoring.internal/runs/{run_id}"


@routes.post("/scores")
async def submit_score(request: web.Request) -> web.Response:
    body = await request.json()
    player = body["player"]
    scores = request.app["scores"]
    total = scores.get(player, 0)
    async with request.app["http"].get(SCORING_URL.format(run_id=body["run_id"])) as resp:
        resp.raise_for_status()
        run = await resp.json()
    scores[player] = total + run["points"]
    return web.json_response({"player": player, "total": scores[player]})


@routes.post("/scores/{player}/bonus")
async def add_bonus(request: web.Request) -> web.Response:
    player = request.match_info["player"]
    body = await request.json()
    request.app["scores"][player] = request.app["scores"].get(player, 0) + int(body["bonus"])
    return web.json_response({"ok": True})


@routes.post("/scores/{player}/achievements")
async def add_achievements(request: web.Request) -> web.Response:
    player = request.match_info["player"]
    scores = request.app["scores"]
    scores[player] = scores.get(player, 0) + await achievement_bonus(request.app["http"], player)
    return web.json_response({"player": player, "total": scores[player]})


@routes.get("/leaderboard")
async def leaderboard(request: web.Request) -> web.Response:
    limit = int(request.query.get("limit", 10))
    ranked = sorted(request.app["scores"].items(), key=lambda kv: kv[1], reverse=True)
    return web.json_response([{"player": p, "score": s} for p, s in ranked[:limit]])


async def on_startup(app: web.Application) -> None:
    app["scores"] = {}
    app["http"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))


async def on_cleanup(app: web.Application) -> None:
    await app["http"].close()


def create_app() -> web.Application:
    app = web.Application()
    app.add_routes(routes)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app


if __name__ == "__main__":
    web.run_app(create_app(), port=8081)
