"""API usage metering through a sync dependency."""
from fastapi import APIRouter, Depends, Header

from .catalog import catalog

router = APIRouter(prefix="/api")

API_USAGE: dict[str, int] = {}
PLAN_LIMITS = {"free": 1_000, "pro": 100_000, "enterprise": 10_000_000}


def meter(x_api_key: str = Header(...)) -> str:
    API_USAGE[x_api_key] = API_USAGE.get(x_api_key, 0) + 1
    return x_api_key


def plan_limit(x_plan: str = Header("free")) -> int:
    return PLAN_LIMITS.get(x_plan, PLAN_LIMITS["free"])


@router.get("/products", dependencies=[Depends(meter)])
async def products(page: int = 1):
    return await catalog.list_products(page=page)


@router.get("/usage")
def usage(key: str = Depends(meter), limit: int = Depends(plan_limit)):
    used = API_USAGE.get(key, 0)
    return {"used": used, "limit": limit, "remaining": max(limit - used, 0)}


@router.put("/usage/{key}")
def set_usage(key: str, value: int):
    API_USAGE[key] = value
    return {"key": key, "used": value}


@router.delete("/usage/{key}")
async def reset_usage(key: str):
    API_USAGE.pop(key, None)
    return {"reset": key}
