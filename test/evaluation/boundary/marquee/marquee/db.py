import os

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine


def make_engine() -> AsyncEngine:
    return create_async_engine(
        os.environ.get("DATABASE_URL", "postgresql+asyncpg://marquee@localhost/marquee"),
        pool_size=10,
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
