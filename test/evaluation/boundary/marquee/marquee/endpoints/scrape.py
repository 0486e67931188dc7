import asyncio

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

USER_AGENT = "marquee-listings-bot/1.3 (+https://marquee.example/bot)"


async def fetch_page(client: httpx.AsyncClient, url: str) -> str:
    resp = await client.get(url, headers={"User-Agent": USER_AGENT})
    resp.raise_for_status()
    return resp.text


async def scrape_listings(request: Request) -> JSONResponse:
    body = await request.json()
    client: httpx.AsyncClient = request.app.state.http
    tasks: dict[str, asyncio.Task[str]] = {}
    async with asyncio.TaskGroup() as tg:
        for url in body["urls"]:
            tasks[url] = tg.create_task(fetch_page(client, url))
    return JSONResponse({url: len(task.result()) for url, task in tasks.items()})


async def scrape_venues(request: Request) -> JSONResponse:
    urls = request.query_params.getlist("url")
    client: httpx.AsyncClient = request.app.state.http
    pages = await asyncio.gather(*[fetch_page(client, u) for u in urls])
    return JSONResponse({u: len(p) for u, p in zip(urls, pages)})


async def scrape_politely(request: Request) -> JSONResponse:
    body = await request.json()
    client: httpx.AsyncClient = request.app.state.http
    sem = asyncio.Semaphore(4)

    async def fetch_limited(url: str) -> str:
        async with sem:
            return await fetch_page(client, url)

    pages = await asyncio.gather(*(fetch_limited(u) for u in body["urls"]))
    return JSONResponse({u: len(p) for u, p in zip(body["urls"], pages)})
