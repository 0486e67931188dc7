import asyncio
from collections import defaultdict

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status

router = APIRouter()

MAX_ROOM_SIZE = 50

rooms: defaultdict[str, set[WebSocket]] = defaultdict(set)
message_counts: dict[str, int] = {}


@router.websocket("/rooms/{room_id}")
async def room_socket(websocket: WebSocket, room_id: str):
    if len(rooms[room_id]) >= MAX_ROOM_SIZE:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    await websocket.accept()
    rooms[room_id].add(websocket)
    try:
        async for raw in websocket.iter_text():
            sent = message_counts.get(room_id, 0)
            peers = [p for p in rooms[room_id] if p is not websocket]
            await asyncio.gather(*(p.send_text(raw) for p in peers), return_exceptions=True)
            message_counts[room_id] = sent + 1
    except WebSocketDisconnect:
        pass
    finally:
        rooms[room_id].discard(websocket)
        if not rooms[room_id]:
            rooms.pop(room_id, None)


@router.get("/rooms")
async def list_rooms():
    return {room: {"members": len(members), "messages": message_counts.get(room, 0)} for room, members in rooms.items()}
