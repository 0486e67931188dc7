import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../core/config';
import { checkModule, projectFacts, summarizeModule, type ParsedModule } from '../core/engine';
import { analyzePython, loadPythonParser } from '../python/frontend';
import { ormLostUpdate } from './orm-lost-update';

/** Both passes over a set of modules: summaries first, then each module checked against them. */
async function checkProject(modules: Record<string, string>): Promise<Map<string, string[]>> {
  await loadPythonParser();
  const parsed: ParsedModule[] = Object.entries(modules).map(([name, source]) =>
    analyzePython(source, `/project/${name.replace(/\./g, '/')}.py`, name),
  );
  const rules = [ormLostUpdate];
  const summaries = parsed.map((module) => summarizeModule(module, rules));
  assert.deepEqual(JSON.parse(JSON.stringify(summaries)), summaries, 'summaries are JSON-serialisable');
  const project = projectFacts(summaries);
  const config = resolveConfig([], rules.map((rule) => rule.meta));
  return new Map(
    parsed.map((module) => [
      module.facts.moduleName,
      checkModule(module, { rules, config, project }).hazards.map((hazard) => `${hazard.range.start.line + 1}: ${hazard.code}`),
    ]),
  );
}

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
    const hazards = await checkProject({ 'app.models': models, 'app.crud': crud, 'app.routes': routes });
    assert.deepEqual(hazards.get('app.routes'), ['14: IL105']);
    assert.deepEqual(hazards.get('app.crud'), []);
  });

  it('reports the unlocked helper row when the models are not part of the analysis', async () => {
    const hazards = await checkProject({ 'app.crud': crud, 'app.routes': routes });
    assert.deepEqual(hazards.get('app.routes'), ['14: IL105', '30: IL105', '38: IL105']);
  });
});
