"""Envelope signing API."""
import asyncio
import base64
import hashlib
import threading
from pathlib import Path

import bcrypt
from argon2 import PasswordHasher
from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from passlib.context import CryptContext
from pydantic import BaseModel

from .audit import audit_event, history
from .keys import derive_envelope_key, key_fingerprint, load_signing_key
from .pdfstamp import seal_and_archive, stamp_and_store

router = APIRouter(prefix="/envelopes", tags=["signing"])

signer_passwords = CryptContext(schemes=["bcrypt"], deprecated="auto")
argon = PasswordHasher()
TEMPLATES = Path("/srv/signing/templates")

SIGNED: set[str] = set()
_sign_lock = asyncio.Lock()


class Unlock(BaseModel):
    access_code: str


class SignerLogin(BaseModel):
    email: str
    password: str


class Signature(BaseModel):
    signer: str
    png_b64: str


async def _envelope(request: Request, envelope_id: str) -> dict:
    row = await request.app.state.db.fetchrow("SELECT * FROM envelopes WHERE id = $1", envelope_id)
    if row is None:
        raise HTTPException(status_code=404)
    return dict(row)


@router.post("/{envelope_id}/unlock")
async def unlock(envelope_id: str, body: Unlock, request: Request):
    env = await _envelope(request, envelope_id)
    if not bcrypt.checkpw(body.access_code.encode(), env["access_code_hash"]):
        raise HTTPException(status_code=403)
    return {"document": env["document_key"]}


@router.post("/signers/login")
async def signer_login(body: SignerLogin, request: Request):
    row = await request.app.state.db.fetchrow("SELECT password_hash FROM signers WHERE email = $1", body.email)
    if row is None or not signer_passwords.verify(body.password, row["password_hash"]):
        raise HTTPException(status_code=401)
    return {"ok": True}


@router.post("/signers", status_code=201)
async def register_signer(body: SignerLogin, request: Request):
    hashed = await run_in_threadpool(argon.hash, body.password)
    await request.app.state.db.execute("INSERT INTO signers(email, password_hash) VALUES ($1, $2)", body.email, hashed)
    return {"email": body.email}


@router.post("/{envelope_id}/sign")
async def sign(envelope_id: str, body: Signature, request: Request):
    if envelope_id in SIGNED:
        raise HTTPException(status_code=409, detail="already signed")
    env = await _envelope(request, envelope_id)
    png = base64.b64decode(body.png_b64)
    digest = hashlib.sha256(png).hexdigest()
    key = stamp_and_store(envelope_id, png, env["document_key"])
    SIGNED.add(envelope_id)
    audit_event(envelope_id, "signed", signer=body.signer, digest=digest)
    return {"signed": key}


@router.post("/{envelope_id}/countersign")
async def countersign(envelope_id: str, body: Signature, request: Request):
    async with _sign_lock:
        if envelope_id in SIGNED:
            raise HTTPException(status_code=409)
        env = await _envelope(request, envelope_id)
        key = await asyncio.to_thread(stamp_and_store, envelope_id, base64.b64decode(body.png_b64), env["document_key"])
        SIGNED.add(envelope_id)
    await audit_event(envelope_id, "countersigned", signer=body.signer)
    return {"signed": key}


@router.post("/{envelope_id}/archive")
async def archive(envelope_id: str):
    url = seal_and_archive(envelope_id)
    await audit_event(envelope_id, "archived", url=url)
    return {"archived": url}


@router.post("/{envelope_id}/archive-async", status_code=202)
async def archive_in_background(envelope_id: str):
    threading.Thread(target=seal_and_archive, args=(envelope_id,), name=f"archive-{envelope_id}").start()
    return {"archiving": envelope_id}


@router.post("/{envelope_id}/encrypt")
async def encrypt(envelope_id: str, passphrase: str):
    key = await derive_envelope_key(passphrase, envelope_id.encode())
    signing_key = await load_signing_key("envelopes-v2")
    return {"fingerprint": key_fingerprint(key), "kid_fp": key_fingerprint(signing_key)}


@router.get("/{envelope_id}/history")
async def envelope_history(envelope_id: str):
    return await history(envelope_id)


@router.get("/templates/{name}")
async def template(name: str):
    return Response((TEMPLATES / f"{name}.pdf").read_bytes(), media_type="application/pdf")
