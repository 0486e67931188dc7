import os
from collections.abc import Iterator

from sqlmodel import Session, create_engine

engine = create_engine(
    os.environ.get("DATABASE_URL", "postgresql+psycopg://stockpile@db/stockpile"),
    pool_size=20,
    pool_pre_ping=True,
)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session
