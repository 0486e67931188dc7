"""Live order status for the storefront's order page, over WebSockets."""

from collections import defaultdict

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from app.schemas import StatusUpdate

router = APIRouter(tags=["ws"])


class ConnectionManager:
    """The sockets watching each order, on this worker."""

    def __init__(self) -> None:
        self.watchers: dict[int, set[WebSocket]] = defaultdict(set)

    async def watch(self, order_id: int, websocket: WebSocket) -> None:
        await websocket.accept()
        self.watchers[order_id].add(websocket)

    def forget(self, order_id: int, websocket: WebSocket) -> None:
        self.watchers[order_id].discard(websocket)

    async def broadcast(self, order_id: int, status: str) -> None:
        # Iterate over a copy: watchers may come and go while a send is awaited.
        for websocket in list(self.watchers[order_id]):
            await websocket.send_json({"order_id": order_id, "status": status})


# One registry per worker process. The fulfilment service's status push lands on one worker, and
# customers whose socket is connected to any of the other three never hear about it.
manager = ConnectionManager()  # expect: IL103


@router.websocket("/ws/orders/{order_id}")
async def order_status(websocket: WebSocket, order_id: int) -> None:
    await manager.watch(order_id, websocket)
    try:
        while True:
            await websocket.receive_text()  # the page sends keep-alive pings
    except WebSocketDisconnect:
        manager.forget(order_id, websocket)


@router.post("/internal/orders/{order_id}/status", status_code=204)
async def push_status(order_id: int, update: StatusUpdate) -> None:
    await manager.broadcast(order_id, update.status)


@router.websocket("/ws/orders/{order_id}/events")
async def order_events(websocket: WebSocket, order_id: int) -> None:
    # Status changes are published to Redis (routers/orders.py, record_status_change), so every
    # worker sees every change and no in-process registry is needed.
    await websocket.accept()
    async with websocket.app.state.redis.pubsub() as pubsub:
        await pubsub.subscribe(f"order:{order_id}")
        async for message in pubsub.listen():
            if message["type"] == "message":
                await websocket.send_json({"order_id": order_id, "status": message["data"]})
