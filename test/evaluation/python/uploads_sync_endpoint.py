"""Avatar uploads. Plain `def` endpoints: FastAPI runs them in its threadpool."""
import shutil
import threading
from pathlib import Path

from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()

AVATAR_DIR = Path("/srv/avatars")
MAX_BYTES = 2 * 1024 * 1024

upload_log: list[dict] = []
total_bytes_stored = 0
uploads_by_user: dict[str, int] = {}
_by_user_lock = threading.Lock()


@app.post("/users/{user_id}/avatar")
def upload_avatar(user_id: str, file: UploadFile = File(...)):
    global total_bytes_stored
    if file.content_type not in ("image/png", "image/jpeg"):
        raise HTTPException(415, "png or jpeg only")
    dest = AVATAR_DIR / f"{user_id}.img"
    with dest.open("wb") as out:
        shutil.copyfileobj(file.file, out)
    size = dest.stat().st_size
    if size > MAX_BYTES:
        dest.unlink()
        raise HTTPException(413, "avatar too large")
    total_bytes_stored += size
    upload_log.append({"user": user_id, "bytes": size})
    with _by_user_lock:
        uploads_by_user[user_id] = uploads_by_user.get(user_id, 0) + 1
    return {"bytes": size}


@app.get("/avatars/stats")
def avatar_stats():
    return {"total_bytes": total_bytes_stored, "uploads": len(upload_log), "recent": upload_log[-10:]}
