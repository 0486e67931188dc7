"""In-memory session store for the admin console."""
import secrets
import time

from fastapi import Cookie, Depends, FastAPI, HTTPException, Response

from .directory import directory_client

app = FastAPI(title="admin-console")

SESSION_TTL = 8 * 3600
SESSIONS: dict[str, dict] = {}


async def require_session(sid: str | None = Cookie(default=None)) -> str:
    if sid is None or sid not in SESSIONS:
        raise HTTPException(401, "not signed in")
    if SESSIONS[sid]["expires"] < time.time():
        SESSIONS.pop(sid, None)
        raise HTTPException(401, "session expired")
    return sid


@app.post("/login")
async def login(form: dict, response: Response):
    account = await directory_client.authenticate(form["username"], form["password"])
    if account is None:
        raise HTTPException(401, "bad credentials")
    sid = secrets.token_urlsafe(32)
    SESSIONS[sid] = {"user": account.username, "roles": account.roles, "expires": time.time() + SESSION_TTL}
    response.set_cookie("sid", sid, httponly=True, secure=True, samesite="strict")
    return {"user": account.username}


@app.post("/session/refresh-roles")
async def refresh_roles(sid: str = Depends(require_session)):
    session = SESSIONS[sid]
    roles = await directory_client.roles_for(session["user"])
    SESSIONS[sid] = {**session, "roles": roles}
    return {"roles": roles}


@app.get("/me")
async def me(sid: str = Depends(require_session)):
    session = SESSIONS[sid]
    return {"user": session["user"], "roles": session["roles"]}


@app.post("/logout")
async def logout(response: Response, sid: str = Depends(require_session)):
    session = SESSIONS.pop(sid, None)
    if session is not None:
        await directory_client.record_logout(session["user"])
    response.delete_cookie("sid")
    return {"ok": True}
