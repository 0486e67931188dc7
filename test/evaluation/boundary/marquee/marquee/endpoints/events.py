import asyncio
from datetime import datetime, timezone

import httpx
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from .. import booking, mailer
from ..models import Attendee, Event

WEATHER_API = "https://weather.example.com/v1/forecast"
TRANSIT_API = "https://transit.example.com/v2/alerts"


async def fetch_weather(client: httpx.AsyncClient, city: str) -> dict:
    resp = await client.get(WEATHER_API, params={"city": city, "days": 1})
    resp.raise_for_status()
    return resp.json()


async def fetch_transit_alerts(client: httpx.AsyncClient, city: str) -> list:
    resp = await client.get(TRANSIT_API, params={"city": city})
    resp.raise_for_status()
    return resp.json()["alerts"]


async def event_detail(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    async with request.app.state.sessions() as session:
        event = await session.get(Event, event_id)
        if event is None:
            raise HTTPException(status_code=404)
        event.views += 1
        await session.commit()
        return JSONResponse(
            {"id": event.id, "title": event.title, "seats_left": event.seats_left, "views": event.views}
        )


async def venue_dashboard(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    async with request.app.state.sessions() as session:
        event = await session.get(Event, event_id)
    if event is None:
        raise HTTPException(status_code=404)
    client: httpx.AsyncClient = request.app.state.http
    weather, alerts = await asyncio.gather(
        fetch_weather(client, event.venue_city),
        fetch_transit_alerts(client, event.venue_city),
    )
    return JSONResponse({"event": event.title, "weather": weather, "transit": alerts})


async def hold(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    body = await request.json()
    async with request.app.state.sessions() as session:
        left = await booking.hold_seats(session, event_id, int(body["count"]))
    return JSONResponse({"seats_left": left})


async def hold_strict(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    body = await request.json()
    async with request.app.state.sessions() as session:
        left = await booking.hold_seats_locked(session, event_id, int(body["count"]))
    return JSONResponse({"seats_left": left})


async def release(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    body = await request.json()
    async with request.app.state.sessions() as session:
        await booking.cancel_hold(session, event_id, int(body["count"]))
    return JSONResponse({"released": int(body["count"])})


async def buy_show(request: Request) -> JSONResponse:
    show_id = int(request.path_params["show_id"])
    body = await request.json()
    async with request.app.state.sessions() as session:
        remaining = await booking.sell_show_tickets(session, show_id, int(body["count"]))
    return JSONResponse({"remaining": remaining})


async def publish(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    async with request.app.state.sessions() as session:
        event = await session.get(Event, event_id)
        if event is None:
            raise HTTPException(status_code=404)
        event.status = "on_sale"
        event.published_at = datetime.now(timezone.utc)
        await session.commit()
    return JSONResponse({"status": "on_sale"})


async def _attendee_emails(request: Request, event_id: int) -> list[str]:
    async with request.app.state.sessions() as session:
        rows = await session.execute(select(Attendee.email).where(Attendee.event_id == event_id))
        return list(rows.scalars().all())


async def notify_attendees(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    body = await request.json()
    async with request.app.state.sessions() as session:
        emails = (
            await session.execute(select(Attendee.email).where(Attendee.event_id == event_id))
        ).scalars().all()
    client: httpx.AsyncClient = request.app.state.http
    results = await asyncio.gather(
        *[mailer.send_email(client, email, body["subject"], body["text"]) for email in emails]
    )
    return JSONResponse({"sent": sum(results), "attendees": len(emails)})


async def remind_attendees(request: Request) -> JSONResponse:
    event_id = int(request.path_params["event_id"])
    emails = await _attendee_emails(request, event_id)
    client: httpx.AsyncClient = request.app.state.http
    sent = 0
    for email in emails:
        sent += await mailer.send_email(client, email, "Doors open in one hour", "See you soon!")
    return JSONResponse({"sent": sent})
