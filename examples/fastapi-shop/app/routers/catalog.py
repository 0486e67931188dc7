"""Product catalog: search, product pages, prices, shipping estimates."""

import asyncio
import json
import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import httpx
import requests
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import get_settings
from app.db import Product
from app.deps import HttpDep, RedisDep, SessionDep
from app.schemas import ProductDetail, ProductOut
from app.services import inventory

settings = get_settings()
router = APIRouter(prefix="/products", tags=["catalog"])

# Read once per process at import and never written afterwards: a copy per worker is harmless,
# and blocking file I/O at import time does not touch the event loop.
CATEGORIES_FILE = Path(__file__).parents[1] / "data" / "categories.json"
CATEGORIES: dict[str, list[str]] = json.loads(CATEGORIES_FILE.read_text())

SEARCHES_PER_MINUTE = 30
REVIEWS_PER_HOUR = 5

# (client address, minute) -> searches in that minute, counted per worker process: with four
# workers a client gets four times the limit.
SEARCH_HITS: dict[tuple[str, int], int] = {}  # expect: IL103


def search_rate_limit(request: Request) -> None:
    # A sync dependency runs in FastAPI's threadpool, so two searches can run these lines at the
    # same time in different threads and both store hits + 1.
    key = (request.client.host, int(time.time() // 60))
    hits = SEARCH_HITS.get(key, 0)
    if hits >= SEARCHES_PER_MINUTE:
        raise HTTPException(429, "too many searches, try again in a minute")
    SEARCH_HITS[key] = hits + 1  # expect: IL102


async def review_rate_limit(request: Request, redis: RedisDep) -> None:
    # The same kind of limit kept in Redis: one counter for all workers, and INCR is atomic.
    key = f"ratelimit:reviews:{request.client.host}:{int(time.time() // 3600)}"
    hits = await redis.incr(key)
    if hits == 1:
        await redis.expire(key, 3600)
    if hits > REVIEWS_PER_HOUR:
        raise HTTPException(429, "too many reviews, try again later")


async def get_product(session: AsyncSession, product_id: int) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise HTTPException(404, "no such product")
    return product


@router.get("/search", dependencies=[Depends(search_rate_limit)])
async def search(q: str, session: SessionDep, category: str | None = None) -> list[ProductOut]:
    query = select(Product).where(Product.name.ilike(f"%{q}%"))
    if category is not None:
        query = query.where(Product.category.in_(CATEGORIES.get(category, [category])))
    products = await session.scalars(query.order_by(Product.name).limit(50))
    return [ProductOut.model_validate(product) for product in products]


async def fetch_reviews(http: httpx.AsyncClient, product_id: int) -> list[dict]:
    response = await http.get(f"{settings.reviews_url}/products/{product_id}/reviews", params={"limit": 10})
    response.raise_for_status()
    return response.json()["reviews"]


async def fetch_related(http: httpx.AsyncClient, product_id: int) -> list[int]:
    response = await http.get(f"{settings.recommendations_url}/related/{product_id}")
    return response.json()["product_ids"] if response.is_success else []


@router.get("/{product_id}")
async def product_page(product_id: int, session: SessionDep, http: HttpDep) -> ProductDetail:
    product = await get_product(session, product_id)
    # Two calls, fixed in number: gathering them is fine.
    reviews, related = await asyncio.gather(fetch_reviews(http, product_id), fetch_related(http, product_id))
    # The warehouse client is sync (app/services/inventory.py): this stalls the event loop
    # for a whole HTTP round trip to the warehouse.
    available = inventory.warehouse_stock(product.sku)  # expect: IL202
    return ProductDetail(
        id=product.id,
        sku=product.sku,
        name=product.name,
        price_cents=product.price_cents,
        available=available,
        reviews=reviews,
        related=related,
    )


@router.get("/{product_id}/availability")
async def availability(product_id: int, session: SessionDep) -> dict[str, int]:
    product = await get_product(session, product_id)
    return {"available": await run_in_threadpool(inventory.warehouse_stock, product.sku)}


@router.get("/{product_id}/recommendations")
async def recommendations(product_id: int) -> list[int]:
    # requests is synchronous: the loop waits up to two seconds here. fetch_related above makes
    # the same kind of call with the shared async client.
    url = f"{settings.recommendations_url}/for-product/{product_id}"
    response = requests.get(url, timeout=2)  # expect: IL201
    return response.json()["product_ids"] if response.ok else []


@router.post("/{product_id}/reviews", status_code=202, dependencies=[Depends(review_rate_limit)])
async def submit_review(product_id: int, review: dict, http: HttpDep) -> None:
    response = await http.post(f"{settings.reviews_url}/products/{product_id}/reviews", json=review)
    response.raise_for_status()


@router.get("/{product_id}/shipping-estimate")
async def shipping_estimate(product_id: int, postcode: str) -> dict[str, int]:
    # A new client per request: a new connection pool, TCP and TLS handshakes on every call. Use
    # the shared client from the lifespan (HttpDep), as fetch_reviews does.
    async with httpx.AsyncClient(base_url=settings.carrier_url, timeout=5) as client:  # expect: IL302
        response = await client.get("/estimates", params={"product": product_id, "to": postcode})
    response.raise_for_status()
    return {"days": response.json()["days"]}


@lru_cache(maxsize=64)  # expect: IL405
async def vat_rate(http: httpx.AsyncClient, country: str) -> Decimal:
    # lru_cache stores the coroutine object, not its result. The second request for the same
    # country awaits an already-awaited coroutine and gets a RuntimeError.
    response = await http.get(f"{settings.tax_url}/vat/{country}")
    response.raise_for_status()
    return Decimal(response.json()["standard_rate"])


# country -> VAT rate. A memo cache of a deterministic lookup: every worker filling its own copy,
# or two requests fetching the same rate once each, costs a request and nothing else.
_vat_rate_cache: dict[str, Decimal] = {}


async def cached_vat_rate(http: httpx.AsyncClient, country: str) -> Decimal:
    if country in _vat_rate_cache:
        return _vat_rate_cache[country]
    response = await http.get(f"{settings.tax_url}/vat/{country}")
    response.raise_for_status()
    rate = Decimal(response.json()["standard_rate"])
    _vat_rate_cache[country] = rate
    return rate


def gross_cents(net_cents: int, rate: Decimal) -> int:
    return round(net_cents * (1 + rate))


@router.get("/{product_id}/price")
async def price(product_id: int, country: str, session: SessionDep, http: HttpDep) -> dict[str, int]:
    product = await get_product(session, product_id)
    rate = await vat_rate(http, country.upper())
    return {"net_cents": product.price_cents, "gross_cents": gross_cents(product.price_cents, rate)}


@router.get("/{product_id}/price:memo")
async def price_memo(product_id: int, country: str, session: SessionDep, http: HttpDep) -> dict[str, int]:
    product = await get_product(session, product_id)
    rate = await cached_vat_rate(http, country.upper())
    return {"net_cents": product.price_cents, "gross_cents": gross_cents(product.price_cents, rate)}
