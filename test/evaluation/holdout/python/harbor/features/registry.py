"""Feature views and the online-store database."""
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from harbor.common.config import get_settings

engine = create_async_engine(get_settings().database_url, pool_pre_ping=True, pool_size=10)
SessionMaker = async_sessionmaker(engine, expire_on_commit=False)


@dataclass(frozen=True)
class FeatureView:
    name: str
    entity: str
    sql: str
    ttl_seconds: int


FEATURE_VIEWS: dict[str, FeatureView] = {}


def feature_view(name: str, entity: str, ttl_seconds: int = 86_400):
    def register(fn):
        FEATURE_VIEWS[name] = FeatureView(name, entity, fn(), ttl_seconds)
        return fn

    return register


@feature_view("user_purchases_7d", entity="user")
def _user_purchases_7d() -> str:
    return "SELECT user_id, count(*) AS purchases_7d FROM orders WHERE created_at > now() - interval '7 days' GROUP BY 1"


@feature_view("merchant_chargeback_rate", entity="merchant", ttl_seconds=3_600)
def _merchant_chargebacks() -> str:
    return "SELECT merchant_id, avg((status = 'chargeback')::int) AS chargeback_rate FROM payments GROUP BY 1"


@asynccontextmanager
async def lifespan(app: FastAPI):
    yield
    await engine.dispose()


async def db_session():
    async with SessionMaker() as session:
        yield session


app = FastAPI(title="Harbor Feature Store", lifespan=lifespan)


@app.get("/views")
async def list_views():
    return sorted(FEATURE_VIEWS)


@app.get("/views/{name}/preview")
async def preview_view(name: str, session: AsyncSession = Depends(db_session)):
    view = FEATURE_VIEWS.get(name)
    if view is None:
        raise HTTPException(status_code=404)
    rows = (await session.execute(text(view.sql + " LIMIT 20"))).mappings().all()
    return [dict(r) for r in rows]


from . import materialize, online  # noqa: E402  (routers import FEATURE_VIEWS from here)

app.include_router(online.router)
app.include_router(materialize.router)
