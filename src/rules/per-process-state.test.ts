import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkModulesWith } from '../../test/support/analyze-project';
import { perProcessState } from './per-process-state';

describe('IL103 per-process-state across modules', () => {
  const state = `from fastapi import WebSocket

sessions: dict[str, str] = {}
search_cache: dict[str, list] = {}
profiles: dict[str, dict] = {}
sockets: dict[str, WebSocket] = {}
`;
  const routes = `from fastapi import APIRouter, WebSocket

from app import state
from app.state import profiles
from app.services import remember_login

router = APIRouter()


@router.post("/login")
async def login(user: str, token: str) -> None:
    remember_login(user, token)


@router.get("/profiles/{user}")
async def profile(user: str) -> dict:
    if user not in profiles:
        profiles[user] = await load_profile(user)
    return profiles[user]


@router.websocket("/live/{user}")
async def live(websocket: WebSocket, user: str) -> None:
    state.sockets[user] = websocket


async def load_profile(user: str) -> dict:
    return {}
`;
  const services = `from app import state


def remember_login(user: str, token: str) -> None:
    state.sessions[token] = user


def warm_cache() -> None:
    state.search_cache["top"] = []
`;

  it('reports state defined in one module and mutated by request handlers in others, at its definition', async () => {
    const hazards = await checkModulesWith({ 'app.state': state, 'app.routes': routes, 'app.services': services }, perProcessState, 'py', { preview: true });
    assert.deepEqual(hazards.get('app.state'), ['3: IL103']);
    assert.deepEqual(hazards.get('app.routes'), []);
    assert.deepEqual(hazards.get('app.services'), []);
  });
});
