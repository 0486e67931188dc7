"""Parcel tracking service (Starlette)."""
import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from . import pickups, tracking


async def startup() -> None:
    app.state.carriers = httpx.AsyncClient(base_url="https://carriers.internal", timeout=8.0)


async def shutdown() -> None:
    await app.state.carriers.aclose()


routes = [
    Mount("/parcels", routes=tracking.routes),
    Mount("/pickups", routes=pickups.routes),
]

app = Starlette(routes=routes, on_startup=[startup], on_shutdown=[shutdown])
