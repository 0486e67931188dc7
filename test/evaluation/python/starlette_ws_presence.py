"""Presence over websockets with Starlette's WebSocketEndpoint."""
from starlette.applications import Starlette
from starlette.endpoints import WebSocketEndpoint
from starlette.routing import WebSocketRoute

from .history import history_store


class PresenceEndpoint(WebSocketEndpoint):
    encoding = "json"
    online: dict[str, int] = {}

    async def on_connect(self, websocket):
        self.user = websocket.query_params.get("user", "anonymous")
        self.received = 0
        await websocket.accept()
        PresenceEndpoint.online[self.user] = PresenceEndpoint.online.get(self.user, 0) + 1
        await websocket.send_json({"online": self._online_users()})

    async def on_receive(self, websocket, data):
        received = self.received
        await history_store.append(self.user, data)
        self.received = received + 1
        await websocket.send_json({"ack": self.received})

    async def on_disconnect(self, websocket, close_code):
        remaining = PresenceEndpoint.online.get(self.user, 1) - 1
        await history_store.flush(self.user)
        PresenceEndpoint.online[self.user] = remaining

    @staticmethod
    def _online_users() -> list[str]:
        return sorted(u for u, n in PresenceEndpoint.online.items() if n > 0)


app = Starlette(routes=[WebSocketRoute("/presence", PresenceEndpoint)])
