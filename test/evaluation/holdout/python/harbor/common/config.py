"""Runtime settings shared by every Harbor service."""
from __future__ import annotations

import functools
import json
import os
from functools import lru_cache
from pathlib import Path

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

_DEFAULTS_PATH = Path(__file__).with_name("defaults.json")

# Read once at import; every worker process gets the same defaults.
with open(_DEFAULTS_PATH, encoding="utf-8") as _fh:
    DEFAULTS: dict = json.load(_fh)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HARBOR_")

    database_url: str = DEFAULTS.get("database_url", "postgresql+asyncpg://harbor@db/harbor")
    redis_url: str = "redis://cache:6379/0"
    smtp_host: str = "smtp.internal"
    flags_url: str = "http://flags.internal/v1/flags"
    web_concurrency: int = int(os.environ.get("WEB_CONCURRENCY", "2"))


@lru_cache
def get_settings() -> Settings:
    return Settings()


@functools.cache
async def remote_flag_defaults() -> dict:
    async with httpx.AsyncClient(timeout=2.0) as client:
        resp = await client.get(get_settings().flags_url)
        resp.raise_for_status()
        return resp.json()
