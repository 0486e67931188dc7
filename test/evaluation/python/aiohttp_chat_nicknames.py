"""aiohttp websocket chat with unique nicknames."""
import weakref

from aiohttp import WSMsgType, web

from .moderation import moderation_api

NICKNAMES: dict[str, web.WebSocketResponse] = {}
SOCKETS: "weakref.WeakSet[web.WebSocketResponse]" = weakref.WeakSet()
message_totals: dict[str, int] = {}
BANNED_WORDS = frozenset({"spam", "scam"})


async def chat(request: web.Request) -> web.WebSocketResponse:
    nick = request.query.get("nick", "").strip()
    if not nick or nick in NICKNAMES:
        raise web.HTTPConflict(text="nickname unavailable")
    ws = web.WebSocketResponse(heartbeat=30)
    await ws.prepare(request)
    NICKNAMES[nick] = ws
    SOCKETS.add(ws)
    try:
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            message_totals[nick] = message_totals.get(nick, 0) + 1
            if any(w in msg.data.lower() for w in BANNED_WORDS) or not await moderation_api.ok(msg.data):
                continue
            for peer in list(SOCKETS):
                if peer is not ws and not peer.closed:
                    await peer.send_str(f"{nick}: {msg.data}")
    finally:
        SOCKETS.discard(ws)
        if NICKNAMES.get(nick) is ws:
            del NICKNAMES[nick]
    return ws


async def who(request: web.Request) -> web.Response:
    return web.json_response({"online": sorted(NICKNAMES), "messages": message_totals})


async def on_shutdown(app: web.Application) -> None:
    for ws in list(SOCKETS):
        await ws.close(code=1001, message=b"server shutdown")


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/chat", chat)
    app.router.add_get("/who", who)
    app.on_shutdown.append(on_shutdown)
    return app
