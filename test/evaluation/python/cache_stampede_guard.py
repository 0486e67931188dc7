"""Currency conversion with single-flight caching of daily reference rates."""
import asyncio
from datetime import date
from decimal import Decimal

from fastapi import FastAPI, HTTPException, Query

from .ecb import compute_yearly_average, fetch_rates_for_day

app = FastAPI()

_rates_by_day: dict[date, dict[str, Decimal]] = {}
_pending: dict[date, asyncio.Future] = {}
_yearly: dict[tuple[str, int], Decimal] = {}
_yearly_lock = asyncio.Lock()
conversions: dict[str, int] = {}


async def rates_for(day: date) -> dict[str, Decimal]:
    cached = _rates_by_day.get(day)
    if cached is not None:
        return cached
    pending = _pending.get(day)
    if pending is not None:
        return await pending
    fut: asyncio.Future = asyncio.get_running_loop().create_future()
    _pending[day] = fut
    try:
        rates = await fetch_rates_for_day(day)
        _rates_by_day[day] = rates
        fut.set_result(rates)
        return rates
    except Exception as exc:
        fut.set_exception(exc)
        raise
    finally:
        _pending.pop(day, None)


async def yearly_average(currency: str, year: int) -> Decimal:
    key = (currency, year)
    if key in _yearly:
        return _yearly[key]
    async with _yearly_lock:
        if key not in _yearly:
            _yearly[key] = await compute_yearly_average(currency, year)
    return _yearly[key]


@app.get("/convert")
async def convert(amount: Decimal, to: str, frm: str = Query("EUR", alias="from"), on: date | None = None):
    day = on or date.today()
    used = conversions.get(to, 0)
    rates = await rates_for(day)
    if to not in rates or frm not in rates:
        raise HTTPException(404, "unknown currency")
    conversions[to] = used + 1
    return {"amount": str(amount / rates[frm] * rates[to]), "currency": to, "day": day.isoformat()}


@app.get("/average/{currency}/{year}")
async def average(currency: str, year: int):
    if year >= date.today().year:
        raise HTTPException(400, "only completed years")
    return {"currency": currency, "year": year, "average": str(await yearly_average(currency, year))}
