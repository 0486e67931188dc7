"""Parcel position pings and delivery stats."""
import time

from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .carriers import DEPOT, carrier_status, haversine_km

LAST_PING: dict[str, dict] = {}
STOP_COUNTS: dict[str, int] = {}
DELIVERED_TODAY = 0


class ParcelPings(HTTPEndpoint):
    async def post(self, request: Request) -> JSONResponse:
        parcel = request.path_params["parcel_id"]
        body = await request.json()
        LAST_PING[parcel] = {"lat": body["lat"], "lon": body["lon"], "ts": body.get("ts", time.time())}
        return JSONResponse({"ok": True}, status_code=202)

    async def put(self, request: Request) -> JSONResponse:
        parcel = request.path_params["parcel_id"]
        stops = STOP_COUNTS.get(parcel, 0)
        eta = await request.app.state.carriers.get(f"/eta/{parcel}", params={"stops": stops + 1})
        STOP_COUNTS[parcel] = stops + 1
        return JSONResponse({"stops": stops + 1, "eta": eta.json()})

    async def get(self, request: Request) -> JSONResponse:
        parcel = request.path_params["parcel_id"]
        ping = LAST_PING.get(parcel)
        if ping is None:
            return JSONResponse({"detail": "unknown parcel"}, status_code=404)
        km = haversine_km(ping["lat"], ping["lon"], *DEPOT)
        return JSONResponse({"ping": ping, "km_to_depot": round(km, 1)})


async def carrier_view(request: Request) -> JSONResponse:
    carrier = request.path_params["carrier"]
    status = carrier_status(carrier, request.path_params["tracking_no"])
    return JSONResponse(status)


def mark_delivered(request: Request) -> JSONResponse:
    global DELIVERED_TODAY
    DELIVERED_TODAY += 1
    return JSONResponse({"delivered_today": DELIVERED_TODAY})


routes = [
    Route("/{parcel_id}/pings", ParcelPings),
    Route("/{parcel_id}/delivered", mark_delivered, methods=["POST"]),
    Route("/carrier/{carrier}/{tracking_no}", carrier_view),
]
