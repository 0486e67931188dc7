from contextlib import asynccontextmanager

import asyncpg
import httpx
from fastapi import FastAPI, HTTPException, Request
from passlib.context import CryptContext
from pydantic import BaseModel, EmailStr

from harbor.common.config import get_settings

from . import checkout, seats, tickets

pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")


@asynccontextmanager
async def lifespan(app: FastAPI):
    settings = get_settings()
    dsn = settings.database_url.replace("postgresql+asyncpg", "postgresql")
    app.state.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
    app.state.payments = httpx.AsyncClient(base_url="https://payments.internal", timeout=10.0)
    app.state.gate_scans = {}
    try:
        yield
    finally:
        await app.state.pool.close()


app = FastAPI(title="Harbor Ticketing", lifespan=lifespan)
app.include_router(seats.router, prefix="/seats")
app.include_router(checkout.router, prefix="/checkout")
app.include_router(tickets.router, prefix="/tickets")


class GuestSignup(BaseModel):
    email: EmailStr
    password: str


@app.post("/guests", status_code=201)
async def create_guest(body: GuestSignup, request: Request):
    hashed = pwd_context.hash(body.password)
    await request.app.state.pool.execute(
        "INSERT INTO guests(email, password_hash) VALUES ($1, $2)", body.email, hashed
    )
    return {"email": body.email}


@app.post("/gates/{gate}/scan")
async def scan_badge(gate: str, ticket_id: str, request: Request):
    row = await request.app.state.pool.fetchrow("SELECT status FROM tickets WHERE id = $1", ticket_id)
    if row is None or row["status"] != "valid":
        raise HTTPException(status_code=403, detail="ticket not valid")
    request.app.state.gate_scans[gate] = request.app.state.gate_scans.get(gate, 0) + 1
    return {"gate": gate, "scanned": request.app.state.gate_scans[gate]}


@app.get("/healthz")
async def healthz():
    return {"ok": True}
