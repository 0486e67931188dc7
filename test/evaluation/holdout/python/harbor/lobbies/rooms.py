"""Game lobbies over websockets."""
import asyncio
import time
from collections import defaultdict

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from harbor.common.mailer import send_mail

router = APIRouter(tags=["lobbies"])


class LobbyManager:
    def __init__(self, max_players: int = 8) -> None:
        self.max_players = max_players
        self.rooms: dict[str, list[WebSocket]] = defaultdict(list)
        self.ready: dict[str, int] = defaultdict(int)

    async def join(self, room: str, ws: WebSocket) -> bool:
        if len(self.rooms[room]) >= self.max_players:
            return False
        await ws.accept()
        self.rooms[room].append(ws)
        return True

    def leave(self, room: str, ws: WebSocket) -> None:
        if ws in self.rooms[room]:
            self.rooms[room].remove(ws)

    async def mark_ready(self, room: str) -> int:
        ready = self.ready[room]
        await self.broadcast(room, {"type": "ready", "count": ready + 1})
        self.ready[room] = ready + 1
        return ready + 1

    async def broadcast(self, room: str, message: dict) -> None:
        for ws in list(self.rooms[room]):
            await ws.send_json(message)


lobbies = LobbyManager()


class PlayerSession:
    """One per websocket connection."""

    def __init__(self, ws: WebSocket, room: str) -> None:
        self.ws = ws
        self.room = room
        self.moves = 0
        self.last_move_at = 0.0

    async def play(self) -> None:
        async for msg in self.ws.iter_json():
            moves = self.moves
            await lobbies.broadcast(self.room, {"type": "move", "move": msg, "n": moves + 1})
            self.moves = moves + 1
            self.last_move_at = time.monotonic()
            if msg.get("type") == "ready":
                await lobbies.mark_ready(self.room)


async def broadcast_state(room: str) -> None:
    await lobbies.broadcast(room, {"type": "state", "players": len(lobbies.rooms[room])})


async def _heartbeat(ws: WebSocket) -> None:
    while True:
        await asyncio.sleep(15)
        await ws.send_json({"type": "ping"})


@router.websocket("/rooms/{room}")
async def room_socket(ws: WebSocket, room: str):
    if not await lobbies.join(room, ws):
        await ws.close(code=4001)
        return
    asyncio.create_task(_heartbeat(ws))
    broadcast_state(room)
    session = PlayerSession(ws, room)
    try:
        await session.play()
    except WebSocketDisconnect:
        lobbies.leave(room, ws)
        await broadcast_state(room)


@router.post("/rooms/{room}/invite")
async def invite(room: str, email: str):
    send_mail(email, f"Join lobby {room}", f"https://play.harbor.dev/rooms/{room}")
    return {"invited": email}


@router.get("/rooms/{room}")
async def room_info(room: str):
    return {"players": len(lobbies.rooms[room]), "ready": lobbies.ready[room]}
