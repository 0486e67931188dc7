"""Push notifications and unread badges."""
from collections import defaultdict
from dataclasses import dataclass

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from .push import PushError, push_gateway
from .store import message_store

app = FastAPI()


@dataclass
class DeliveryStats:
    sent: int = 0
    failed: int = 0


delivery = DeliveryStats()
unread: defaultdict[str, int] = defaultdict(int)


class Message(BaseModel):
    sender: str
    recipients: list[str]
    body: str


@app.post("/messages")
async def post_message(msg: Message):
    await message_store.save(msg)
    for user in msg.recipients:
        unread[user] += 1
    sent_so_far = delivery.sent
    try:
        await push_gateway.send_many(msg.recipients, msg.body)
    except PushError:
        delivery.failed += 1
        raise HTTPException(502, "push gateway unavailable")
    delivery.sent = sent_so_far + len(msg.recipients)
    return {"delivered": len(msg.recipients)}


@app.post("/users/{user}/read")
async def mark_read(user: str, message_ids: list[str]):
    remaining = unread[user] - len(message_ids)
    await message_store.mark_read(user, message_ids)
    unread[user] = max(remaining, 0)
    return {"unread": unread[user]}


@app.post("/users/{user}/sync-badge")
async def sync_badge(user: str):
    unread[user] = await message_store.count_pending_push(user) + unread[user]
    return {"unread": unread[user]}


@app.get("/users/{user}/badge")
async def badge(user: str):
    return {"unread": unread.get(user, 0), "sent": delivery.sent, "failed": delivery.failed}
