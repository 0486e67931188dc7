"""Streaming uploads with per-user storage accounting."""
import os
import uuid

import aiofiles
from fastapi import Depends, FastAPI, Request

from .auth import User, current_user
from .storage import storage

app = FastAPI()

UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "/var/uploads")
bytes_used: dict[str, int] = {}


@app.post("/files")
async def upload(request: Request, user: User = Depends(current_user)):
    used = bytes_used.get(user.id, 0)
    file_id = uuid.uuid4().hex
    path = os.path.join(UPLOAD_DIR, user.id, file_id)
    size = 0
    async with aiofiles.open(path, "wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            await out.write(chunk)
    bytes_used[user.id] = used + size
    return {"id": file_id, "size": size}


@app.delete("/files/{file_id}")
async def delete(file_id: str, user: User = Depends(current_user)):
    freed = await storage.delete(user.id, file_id)
    bytes_used[user.id] = max(bytes_used.get(user.id, 0) - freed, 0)
    return {"freed": freed}


@app.get("/usage")
async def usage(user: User = Depends(current_user)):
    return {"bytes": bytes_used.get(user.id, 0), "quota": user.quota_bytes}
