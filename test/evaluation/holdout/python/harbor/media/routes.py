"""Uploads, probing and derived renditions."""
import asyncio
import multiprocessing
import subprocess
import threading
import uuid

from fastapi import APIRouter, BackgroundTasks, HTTPException, UploadFile

from harbor.common.blobstore import blobs
from harbor.common.hashing import fingerprint

from .transcode import ffmpeg_args, make_thumbnail, probe, segment_hls, transcribe

router = APIRouter(prefix="/media", tags=["media"])

_ffmpeg_slots = threading.Semaphore(2)
_probe_slots = asyncio.Semaphore(4)


def _thumbnail_to_store(key: str) -> None:
    blobs.put(f"{key}.jpg", make_thumbnail(str(blobs._path(key))))


@router.post("/uploads", status_code=201)
async def upload(file: UploadFile, background_tasks: BackgroundTasks):
    data = await file.read()
    key = fingerprint(data)
    blobs.put(key, data)
    background_tasks.add_task(_thumbnail_to_store, key)
    return {"key": key, "url": blobs.public_url(key)}


@router.get("/{key}/probe")
async def probe_media(key: str):
    async with _probe_slots:
        info = probe(str(blobs._path(key)))
    return {"format": info.get("format", {}), "streams": len(info.get("streams", []))}


@router.post("/{key}/thumbnail")
async def thumbnail(key: str):
    jpeg = await asyncio.to_thread(make_thumbnail, str(blobs._path(key)))
    thumb_key = f"{key}.jpg"
    await asyncio.to_thread(blobs.put, thumb_key, jpeg)
    return {"thumbnail": blobs.public_url(thumb_key)}


@router.post("/{key}/renditions/{preset}")
async def rendition(key: str, preset: str):
    src = str(blobs._path(key))
    dst = f"{src}.{preset}.mp4"
    proc = await asyncio.create_subprocess_exec(*ffmpeg_args(src, dst, preset))
    if await proc.wait() != 0:
        raise HTTPException(status_code=500, detail="ffmpeg failed")
    return {"rendition": dst}


@router.post("/{key}/preview-clip")
async def preview_clip(key: str, start: float = 0.0):
    src = str(blobs._path(key))
    _ffmpeg_slots.acquire()
    try:
        proc = await asyncio.create_subprocess_exec("ffmpeg", "-ss", str(start), "-t", "10", "-i", src, "-y", f"{src}.preview.mp4")
        await proc.wait()
    finally:
        _ffmpeg_slots.release()
    return {"preview": f"{key}.preview.mp4"}


@router.post("/{key}/waveform")
async def waveform(key: str):
    src = str(blobs._path(key))
    subprocess.run(["audiowaveform", "-i", src, "-o", f"{src}.json", "--pixels-per-second", "20"], check=True)
    return {"waveform": f"{key}.json"}


@router.post("/{key}/hls", status_code=202)
async def package_hls(key: str):
    src = str(blobs._path(key))
    multiprocessing.Process(target=segment_hls, args=(src, f"{src}-hls"), daemon=True).start()
    return {"hls": f"/media/{key}-hls/index.m3u8"}


@router.post("/{key}/captions", status_code=202)
async def captions(key: str):
    src = str(blobs._path(key))
    threading.Thread(target=transcribe, args=(src,), daemon=True).start()
    return {"captions": "pending", "request_id": uuid.uuid4().hex}
