"""Visitor counter and geo lookups using app.state prepared in lifespan."""
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.visits = 0
    app.state.countries = {}
    async with httpx.AsyncClient(base_url="https://geo.example.net", timeout=2.0) as client:
        app.state.geo = client
        yield


app = FastAPI(lifespan=lifespan)


@app.middleware("http")
async def init_request_state(request: Request, call_next):
    request.state.geo_lookups = 0
    return await call_next(request)


async def lookup_country(request: Request, ip: str) -> str:
    done = request.state.geo_lookups
    resp = await request.app.state.geo.get(f"/v1/ip/{ip}")
    request.state.geo_lookups = done + 1
    return resp.json().get("country", "??")


@app.get("/visit")
async def visit(request: Request):
    seen = request.app.state.visits
    country = await lookup_country(request, request.client.host)
    request.app.state.visits = seen + 1
    by_country = request.app.state.countries
    by_country[country] = by_country.get(country, 0) + 1
    return {"visits": request.app.state.visits, "country": country}


@app.get("/visits")
async def visits(request: Request):
    return {"total": request.app.state.visits, "by_country": request.app.state.countries}
