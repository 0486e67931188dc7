import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkModulesWith } from '../../test/support/analyze-project';
import { ormLostUpdate } from './orm-lost-update';

describe('IL105 orm-lost-update across modules', () => {
  const models = `from sqlalchemy import Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class VersionedBase(Base):
    __abstract__ = True
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    balance: Mapped[int]


class Document(VersionedBase):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int]
`;
  const crud = `from sqlalchemy.orm import Session

from app.models import Account, Document


def get_account(db: Session, account_id: int) -> Account | None:
    return db.query(Account).filter(Account.id == account_id).first()


def get_account_for_update(db: Session, account_id: int) -> Account:
    return db.query(Account).filter(Account.id == account_id).with_for_update().one()


def get_document(db: Session, document_id: int) -> Document | None:
    return db.get(Document, document_id)
`;
  const routes = `from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app import crud
from app.database import get_db
from app.models import Document

router = APIRouter()


@router.post("/accounts/{account_id}/deposit")
def deposit(account_id: int, amount: int, db: Session = Depends(get_db)):
    account = crud.get_account(db, account_id)
    account.balance = account.balance + amount
    db.commit()
    return account


@router.post("/accounts/{account_id}/deposit-locked")
def deposit_locked(account_id: int, amount: int, db: Session = Depends(get_db)):
    account = crud.get_account_for_update(db, account_id)
    account.balance = account.balance + amount
    db.commit()
    return account


@router.post("/documents/{document_id}/revise")
def revise(document_id: int, db: Session = Depends(get_db)):
    document = crud.get_document(db, document_id)
    document.revision += 1
    db.commit()
    return document


@router.post("/documents/{document_id}/revise-direct")
def revise_direct(document_id: int, db: Session = Depends(get_db)):
    document = db.get(Document, document_id)
    document.revision += 1
    db.commit()
    return document
`;

  it('follows rows returned by another module, and version columns mapped on an inherited base', async () => {
    const hazards = await checkModulesWith({ 'app.models': models, 'app.crud': crud, 'app.routes': routes }, ormLostUpdate);
    assert.deepEqual(hazards.get('app.routes'), ['14: IL105']);
    assert.deepEqual(hazards.get('app.crud'), []);
  });

  it('reports the unlocked helper row when the models are not part of the analysis', async () => {
    const hazards = await checkModulesWith({ 'app.crud': crud, 'app.routes': routes }, ormLostUpdate);
    assert.deepEqual(hazards.get('app.routes'), ['14: IL105', '30: IL105', '38: IL105']);
  });

  const base = `from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


class RecordBase(DeclarativeBase):
    @classmethod
    async def read_async(cls, db_session: AsyncSession, identifier: str) -> "RecordBase":
        result = await db_session.execute(select(cls).where(cls.id == identifier))
        return result.scalar_one()

    async def update_async(self, db_session: AsyncSession) -> "RecordBase":
        db_session.add(self)
        await db_session.commit()
        return self
`;
  const group = `from sqlalchemy.orm import Mapped, relationship

from app.orm.base import RecordBase


class Group(RecordBase):
    __tablename__ = "groups"
    turns: Mapped[int]
    members: Mapped[list["Agent"]] = relationship()
`;
  const manager = `from app.db import registry
from app.orm.group import Group as GroupModel


class GroupManager:
    async def bump_turns(self, group_id: str) -> int:
        async with registry.session() as session:
            group = await GroupModel.read_async(session, identifier=group_id)
            group.turns = (group.turns + 1) % 5
            await group.update_async(session)
            return group.turns

    async def adopt(self, group_id: str, other_id: str) -> None:
        async with registry.session() as session:
            group = await GroupModel.read_async(session, identifier=group_id)
            other = await GroupModel.read_async(session, identifier=other_id)
            group.members += other.members
            await group.update_async(session)
`;

  it('follows a loader a model inherits from its base class, and a row that saves itself', async () => {
    const hazards = await checkModulesWith({ 'app.orm.base': base, 'app.orm.group': group, 'app.services.groups': manager }, ormLostUpdate);
    assert.deepEqual(hazards.get('app.services.groups'), ['9: IL105']);
  });
});
