"""Settings, read from SHOP_* environment variables (or a .env file) once per process."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_", env_file=".env")

    environment: str = "development"
    database_url: str = "postgresql+asyncpg://shop:shop@localhost/shop"
    # The CSV exports read from the replica through a sync driver; see app/db.py.
    reporting_database_url: str = "postgresql+psycopg2://shop:shop@localhost/shop"
    redis_url: str = "redis://localhost:6379/0"

    payments_url: str = "https://payments.example.com/v1"
    payments_api_key: str = ""
    carrier_url: str = "https://carrier.example.com/api"
    tax_url: str = "https://tax.example.com/v2"
    reviews_url: str = "https://reviews.example.com"
    recommendations_url: str = "https://recs.internal:8080"
    warehouse_url: str = "https://warehouse.internal/api"
    notifications_url: str = "https://notify.internal/v1"
    pdf_renderer_url: str = "https://pdf.internal"

    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "orders@shop.example.com"

    admin_token: str = ""
    media_dir: Path = Path("/srv/media")
    search_suggestions_file: Path = Path("/srv/media/suggestions.json")


@lru_cache
def get_settings() -> Settings:
    # Deterministic and argument-free: caching the result is exactly what we want.
    return Settings()
