from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from .db import make_engine, make_sessionmaker
from .endpoints import events, media, scrape


@asynccontextmanager
async def lifespan(app: Starlette):
    engine = make_engine()
    app.state.sessions = make_sessionmaker(engine)
    async with httpx.AsyncClient(timeout=15.0, follow_redirects=True) as client:
        app.state.http = client
        yield
    await engine.dispose()


routes = [
    Route("/events/{event_id:int}", events.event_detail),
    Route("/events/{event_id:int}/dashboard", events.venue_dashboard),
    Route("/events/{event_id:int}/hold", events.hold, methods=["POST"]),
    Route("/events/{event_id:int}/hold/strict", events.hold_strict, methods=["POST"]),
    Route("/events/{event_id:int}/release", events.release, methods=["POST"]),
    Route("/events/{event_id:int}/publish", events.publish, methods=["POST"]),
    Route("/events/{event_id:int}/notify", events.notify_attendees, methods=["POST"]),
    Route("/events/{event_id:int}/remind", events.remind_attendees, methods=["POST"]),
    Route("/shows/{show_id:int}/buy", events.buy_show, methods=["POST"]),
    Route("/media/thumbnails", media.generate_thumbnails, methods=["POST"]),
    Route("/media/posters/{poster_id:int}/variants", media.poster_variants, methods=["POST"]),
    Route("/media/posters/{poster_id:int}/retry", media.retry_poster, methods=["POST"]),
    Route("/scrape/listings", scrape.scrape_listings, methods=["POST"]),
    Route("/scrape/venues", scrape.scrape_venues),
    Route("/scrape/polite", scrape.scrape_politely, methods=["POST"]),
]

app = Starlette(routes=routes, lifespan=lifespan)
