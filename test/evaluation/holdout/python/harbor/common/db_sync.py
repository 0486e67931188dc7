"""Synchronous SQLAlchemy setup for the read replica (FastAPI tutorial style)."""
import os
import sqlite3

from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

REPLICA_URL = os.environ.get("HARBOR_REPLICA_URL", "postgresql+psycopg2://ro@replica/harbor")

engine = create_engine(REPLICA_URL, pool_pre_ping=True, pool_size=10)
SessionLocal = sessionmaker(bind=engine, autoflush=False)


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def fetch_rows(sql: str, **params) -> list[dict]:
    with engine.connect() as conn:
        result = conn.execute(text(sql), params)
        return [dict(r._mapping) for r in result]


def lookup_sqlite(path: str, key: str) -> str | None:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        con.close()
