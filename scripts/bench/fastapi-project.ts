/**
 * Generates a FastAPI project of a requested size for the benchmark: a lifespan, configuration,
 * database and HTTP dependencies, and one package per domain (pydantic schemas, SQLAlchemy models,
 * a service, a dependency, a router). A few endpoints and services carry the hazards Interleave
 * reports — a lost update across an await, a blocking call, a sync helper that blocks, a client
 * built per request, a dropped task, an ORM lost update — about one per 300 lines, each beside
 * the correct form of the same endpoint. The generator records every hazard it plants, so a test
 * can check that the workload is what it claims to be.
 */
import { SeededRandom } from './seeded-random';

export interface PlantedHazard {
  /** The file, relative to the project root, with `/` separators. */
  path: string;
  /** 1-based. */
  line: number;
  code: string;
}

export interface GeneratedFile {
  path: string;
  text: string;
}

export interface GeneratedProject {
  files: GeneratedFile[];
  planted: PlantedHazard[];
  lines: number;
}

export interface ProjectOptions {
  /** Lines to reach; the project ends with the domain that reaches it. */
  lines: number;
  seed: number;
  /** Grow the first domain's router to at least this many lines (the editor benchmark's file). */
  largeRouterLines?: number;
}

/** The first domain's router, relative to the project root: the file the editor benchmark opens. */
export function largeRouterPath(): string {
  return `app/domains/${domainOf(0).package}/router.py`;
}

/** Lines of Python with the hazards planted in them, by 0-based line index. */
class PythonSource {
  readonly lines: string[] = [];
  readonly marks: { index: number; code: string }[] = [];

  add(...lines: string[]): this {
    this.lines.push(...lines);
    return this;
  }

  /** A line that must be reported with `code`. */
  hazard(code: string, line: string): this {
    this.marks.push({ index: this.lines.length, code });
    this.lines.push(line);
    return this;
  }

  append(other: PythonSource): this {
    for (const mark of other.marks) this.marks.push({ index: mark.index + this.lines.length, code: mark.code });
    this.lines.push(...other.lines);
    return this;
  }
}

const NOUNS = [
  'invoice', 'shipment', 'ticket', 'coupon', 'review', 'booking', 'payment', 'subscription', 'device', 'sensor',
  'project', 'task', 'comment', 'playlist', 'vendor', 'warehouse', 'course', 'lesson', 'appointment', 'claim',
  'policy', 'listing', 'campaign', 'message', 'report', 'asset', 'contract', 'ledger', 'refund', 'voucher',
  'driver', 'route', 'parcel', 'tenant', 'lease', 'patient', 'visit', 'badge', 'survey', 'answer',
] as const;

interface Field {
  name: string;
  python: string;
  column: string;
  /** A whole number, so an endpoint can adjust it (and lose updates doing so). */
  counter: boolean;
}

const FIELDS: readonly Field[] = [
  { name: 'title', python: 'str', column: 'mapped_column(String(200))', counter: false },
  { name: 'description', python: 'str', column: 'mapped_column(Text, default="")', counter: false },
  { name: 'reference', python: 'str', column: 'mapped_column(String(64), unique=True)', counter: false },
  { name: 'status', python: 'str', column: 'mapped_column(String(20), default="draft")', counter: false },
  { name: 'owner_id', python: 'int', column: 'mapped_column(ForeignKey("users.id"))', counter: false },
  { name: 'quantity', python: 'int', column: 'mapped_column(default=0)', counter: true },
  { name: 'balance_cents', python: 'int', column: 'mapped_column(default=0)', counter: true },
  { name: 'attempts', python: 'int', column: 'mapped_column(default=0)', counter: true },
  { name: 'priority', python: 'int', column: 'mapped_column(default=0)', counter: true },
  { name: 'archived', python: 'bool', column: 'mapped_column(default=False)', counter: false },
  { name: 'due_at', python: 'datetime | None', column: 'mapped_column(default=None)', counter: false },
  { name: 'score', python: 'float', column: 'mapped_column(default=0.0)', counter: false },
];

interface Domain {
  /** `invoice` */
  noun: string;
  /** `invoices_3`: the package, table and URL stem. */
  package: string;
  /** `Invoice` */
  className: string;
  idParam: string;
}

function domainOf(index: number): Domain {
  const noun = NOUNS[index % NOUNS.length]!;
  return {
    noun,
    package: `${noun}s_${index}`,
    className: noun.charAt(0).toUpperCase() + noun.slice(1),
    idParam: `${noun}_id`,
  };
}

/** Extra endpoints a router may have, each with a correct form and, for most, a hazardous one. */
type ExtraKind = 'find' | 'partner' | 'notify' | 'export' | 'sync' | 'adjust';
const EXTRA_KINDS: readonly ExtraKind[] = ['find', 'partner', 'notify', 'export', 'sync', 'adjust'];

/** The chance that an extra endpoint is written the hazardous way. */
const HAZARD_RATE = 0.12;
/** The chance that a domain counts views in process memory, across an await. */
const VIEW_RACE_RATE = 0.15;
/** The chance that a domain's service adjusts a counter without locking the row. */
const ORM_RACE_RATE = 0.12;

/** What a domain's router uses, so its imports list exactly that. */
interface RouterNeeds {
  asyncio: boolean;
  time: boolean;
  httpx: boolean;
  requests: boolean;
  backgroundTasks: boolean;
  runInThreadpool: boolean;
  http: boolean;
  settings: boolean;
  notify: boolean;
  render: boolean;
}

interface DomainPlan {
  domain: Domain;
  fields: Field[];
  counter: Field;
  viewRace: boolean;
  ormRace: boolean;
}

function notFound(domain: Domain, indent = '        '): string[] {
  return [`    if ${domain.noun} is None:`, `${indent}raise HTTPException(status.HTTP_404_NOT_FOUND, "${domain.noun} not found")`];
}

function extraEndpoint(plan: DomainPlan, kind: ExtraKind, suffix: number, hazardous: boolean, needs: RouterNeeds): PythonSource {
  const { domain, counter } = plan;
  const { noun, className, idParam, package: stem } = domain;
  const source = new PythonSource().add('', '');
  const load = [`    ${noun} = await service.get(${idParam})`, ...notFound(domain)];
  switch (kind) {
    case 'find': {
      const field = plan.fields.find((candidate) => candidate.python === 'str') ?? plan.fields[0]!;
      source.add(
        `@router.get("/by-${field.name.replace(/_/g, '-')}-${suffix}/{value}")`,
        `async def find_${noun}s_by_${field.name}_${suffix}(value: ${field.python.replace(' | None', '')}, service: ${className}ServiceDep) -> list[${className}Out]:`,
        `    ${noun}s = await service.find_by_${field.name}(value)`,
        `    return [${className}Out.model_validate(${noun}) for ${noun} in ${noun}s]`,
      );
      return source;
    }
    case 'partner': {
      needs.settings = true;
      needs.http = true;
      source.add(
        `@router.get("/{${idParam}}/partner-status-${suffix}")`,
        `async def ${noun}_partner_status_${suffix}(${idParam}: int, service: ${className}ServiceDep, http: HttpDep) -> dict[str, str]:`,
        ...load,
      );
      const url = `f"{settings.partner_api_url}/${stem}/{${noun}.id}"`;
      if (!hazardous) {
        source.add(`    response = await http.get(${url})`);
      } else if (suffix % 2 === 0) {
        needs.httpx = true;
        source
          .add('    # A client (and its connection pool) per request.')
          .hazard('IL302', '    async with httpx.AsyncClient(timeout=5) as client:')
          .add(`        response = await client.get(${url})`);
      } else {
        needs.requests = true;
        source.hazard('IL201', `    response = requests.get(${url}, timeout=5)`);
      }
      source.add('    response.raise_for_status()', '    return {"status": response.json()["status"]}');
      return source;
    }
    case 'notify': {
      needs.notify = true;
      if (hazardous) {
        needs.asyncio = true;
        source.add(
          `@router.post("/{${idParam}}/notify-${suffix}", status_code=status.HTTP_202_ACCEPTED)`,
          `async def notify_${noun}_watchers_${suffix}(${idParam}: int, service: ${className}ServiceDep) -> None:`,
          ...load,
        );
        source.hazard('IL401', `    asyncio.create_task(notify_watchers("${stem}", ${noun}.id))`);
      } else {
        needs.backgroundTasks = true;
        source.add(
          `@router.post("/{${idParam}}/notify-${suffix}", status_code=status.HTTP_202_ACCEPTED)`,
          `async def notify_${noun}_watchers_${suffix}(`,
          `    ${idParam}: int, service: ${className}ServiceDep, background_tasks: BackgroundTasks`,
          ') -> None:',
          ...load,
          `    background_tasks.add_task(notify_watchers, "${stem}", ${noun}.id)`,
        );
      }
      return source;
    }
    case 'export': {
      needs.render = true;
      source.add(
        `@router.get("/export-${suffix}")`,
        `async def export_${noun}s_${suffix}(service: ${className}ServiceDep) -> dict[str, str]:`,
        `    ${noun}s = await service.list(offset=0, limit=1000)`,
        `    rows = [${className}Out.model_validate(${noun}).model_dump() for ${noun} in ${noun}s]`,
      );
      if (hazardous) {
        source.hazard('IL202', `    path = render_report("${stem}", rows)`);
      } else {
        needs.runInThreadpool = true;
        source.add(`    path = await run_in_threadpool(render_report, "${stem}", rows)`);
      }
      source.add('    return {"path": path}');
      return source;
    }
    case 'sync': {
      needs.settings = true;
      needs.http = true;
      source.add(
        `@router.post("/{${idParam}}/sync-${suffix}")`,
        `async def sync_${noun}_${suffix}(${idParam}: int, http: HttpDep) -> dict[str, bool]:`,
        '    for attempt in range(3):',
        `        response = await http.post(f"{settings.partner_api_url}/${stem}/{${idParam}}/sync")`,
        '        if response.is_success:',
        '            return {"synced": True}',
      );
      if (hazardous) {
        needs.time = true;
        source.hazard('IL201', '        time.sleep(0.1 * (attempt + 1))');
      } else {
        needs.asyncio = true;
        source.add('        await asyncio.sleep(0.1 * (attempt + 1))');
      }
      source.add('    return {"synced": False}');
      return source;
    }
    case 'adjust':
      source.add(
        `@router.post("/{${idParam}}/${counter.name.replace(/_/g, '-')}-${suffix}")`,
        `async def adjust_${noun}_${counter.name}_${suffix}(${idParam}: int, delta: int, service: ${className}ServiceDep) -> ${className}Out:`,
        `    ${noun} = await service.adjust_${counter.name}(${idParam}, delta)`,
        ...notFound(domain),
        `    return ${className}Out.model_validate(${noun})`,
      );
      return source;
  }
}

/** The fewest lines a router's docstring, imports and `router = …` take. */
const MINIMUM_HEADER_LINES = 8;

function routerModule(plan: DomainPlan, random: SeededRandom, minimumLines: number): PythonSource {
  const { domain } = plan;
  const { noun, className, idParam, package: stem } = domain;
  const needs: RouterNeeds = {
    asyncio: false, time: false, httpx: false, requests: false, backgroundTasks: false,
    runInThreadpool: false, http: false, settings: false, notify: false, render: false,
  };
  const views = `_${noun}_views`;
  const body = new PythonSource();
  if (plan.viewRace) {
    body.add('', '# Views since the process started, flushed to the database by a periodic job.').hazard('IL103', `${views}: dict[int, int] = {}`);
  }
  body.add(
    '',
    '',
    '@router.get("")',
    `async def list_${noun}s(`,
    `    service: ${className}ServiceDep,`,
    '    offset: int = Query(0, ge=0),',
    '    limit: int = Query(50, ge=1, le=200),',
    `) -> list[${className}Out]:`,
    `    ${noun}s = await service.list(offset=offset, limit=limit)`,
    `    return [${className}Out.model_validate(${noun}) for ${noun} in ${noun}s]`,
    '',
    '',
    `@router.get("/{${idParam}}")`,
    `async def get_${noun}(${idParam}: int, service: ${className}ServiceDep) -> ${className}Out:`,
    `    ${noun} = await service.get(${idParam})`,
    ...notFound(domain),
    `    return ${className}Out.model_validate(${noun})`,
    '',
    '',
    '@router.post("", status_code=status.HTTP_201_CREATED)',
    `async def create_${noun}(data: ${className}Create, service: ${className}ServiceDep) -> ${className}Out:`,
    `    ${noun} = await service.create(data)`,
    `    return ${className}Out.model_validate(${noun})`,
    '',
    '',
    `@router.patch("/{${idParam}}")`,
    `async def update_${noun}(${idParam}: int, data: ${className}Update, service: ${className}ServiceDep) -> ${className}Out:`,
    `    ${noun} = await service.update(${idParam}, data)`,
    ...notFound(domain),
    `    return ${className}Out.model_validate(${noun})`,
    '',
    '',
    `@router.delete("/{${idParam}}", status_code=status.HTTP_204_NO_CONTENT)`,
    `async def delete_${noun}(${idParam}: int, service: ${className}ServiceDep) -> None:`,
    `    if not await service.delete(${idParam}):`,
    `        raise HTTPException(status.HTTP_404_NOT_FOUND, "${noun} not found")`,
    '',
    '',
    `@router.post("/{${idParam}}/views")`,
    `async def record_${noun}_view(${idParam}: int, service: ${className}ServiceDep) -> dict[str, int]:`,
  );
  if (plan.viewRace) {
    body.add(`    views = ${views}.get(${idParam}, 0)`, `    ${noun} = await service.get(${idParam})`, ...notFound(domain));
    body.hazard('IL101', `    ${views}[${idParam}] = views + 1`).add('    return {"views": views + 1}');
  } else {
    body.add(`    return {"views": await service.increment_views(${idParam})}`);
  }
  const extras = random.between(3, 10);
  for (let suffix = 1; suffix <= extras || body.lines.length + MINIMUM_HEADER_LINES < minimumLines; suffix++) {
    body.append(extraEndpoint(plan, random.pick(EXTRA_KINDS), suffix, random.chance(HAZARD_RATE), needs));
  }

  const header = new PythonSource().add(`"""HTTP endpoints for ${noun}s."""`, '');
  const stdlib = [needs.asyncio && 'import asyncio', needs.time && 'import time'].filter((line) => line !== false);
  if (stdlib.length > 0) header.add(...stdlib, '');
  const fastapiNames = ['APIRouter', needs.backgroundTasks && 'BackgroundTasks', 'HTTPException', 'Query', 'status'].filter((name) => name !== false);
  header.add(
    ...[needs.httpx && 'import httpx', needs.requests && 'import requests'].filter((line) => line !== false),
    `from fastapi import ${fastapiNames.join(', ')}`,
    ...(needs.runInThreadpool ? ['from fastapi.concurrency import run_in_threadpool'] : []),
    '',
    ...(needs.settings ? ['from app.core.config import settings'] : []),
    ...(needs.http ? ['from app.core.http import HttpDep'] : []),
    ...(needs.notify ? ['from app.core.notifications import notify_watchers'] : []),
    ...(needs.render ? ['from app.core.reports import render_report'] : []),
    `from app.domains.${stem}.dependencies import ${className}ServiceDep`,
    `from app.domains.${stem}.schemas import ${className}Create, ${className}Out, ${className}Update`,
    '',
    `router = APIRouter(prefix="/${stem.replace(/_/g, '-')}", tags=["${noun}s"])`,
  );
  return header.append(body);
}

function schemasModule(plan: DomainPlan): PythonSource {
  const { className, noun } = plan.domain;
  const datetimeUsed = plan.fields.some((field) => field.python.includes('datetime'));
  const source = new PythonSource().add(`"""Request and response bodies for ${noun}s."""`, '');
  if (datetimeUsed) source.add('from datetime import datetime', '');
  source.add('from pydantic import BaseModel, ConfigDict, Field', '', '', `class ${className}Create(BaseModel):`);
  for (const field of plan.fields) {
    source.add(field.python === 'str' ? `    ${field.name}: str = Field(min_length=1, max_length=200)` : `    ${field.name}: ${field.python}${field.python.includes('None') ? ' = None' : ''}`);
  }
  source.add('', '', `class ${className}Update(BaseModel):`);
  for (const field of plan.fields) source.add(`    ${field.name}: ${field.python.replace(' | None', '')} | None = None`);
  source.add('', '', `class ${className}Out(BaseModel):`, '    model_config = ConfigDict(from_attributes=True)', '', '    id: int', '    views: int');
  for (const field of plan.fields) source.add(`    ${field.name}: ${field.python}`);
  return source;
}

function modelsModule(plan: DomainPlan): PythonSource {
  const { className, noun, package: stem } = plan.domain;
  const imports = ['String', 'Text', 'ForeignKey'].filter((name) => plan.fields.some((field) => field.column.includes(`${name}(`)));
  const source = new PythonSource().add(`"""The ${noun}s table."""`, '');
  if (plan.fields.some((field) => field.python.includes('datetime'))) source.add('from datetime import datetime', '');
  if (imports.length > 0) source.add(`from sqlalchemy import ${imports.sort().join(', ')}`);
  source.add(
    'from sqlalchemy.orm import Mapped, mapped_column',
    '',
    'from app.core.db import Base',
    '',
    '',
    `class ${className}(Base):`,
    `    __tablename__ = "${stem}"`,
    '',
    '    id: Mapped[int] = mapped_column(primary_key=True)',
    '    views: Mapped[int] = mapped_column(default=0)',
  );
  for (const field of plan.fields) source.add(`    ${field.name}: Mapped[${field.python}] = ${field.column}`);
  return source;
}

function serviceModule(plan: DomainPlan): PythonSource {
  const { className, noun, idParam, package: stem } = plan.domain;
  const { counter } = plan;
  const source = new PythonSource().add(
    `"""Reading and writing ${noun}s."""`,
    '',
    'from sqlalchemy import select, update',
    'from sqlalchemy.ext.asyncio import AsyncSession',
    '',
    `from app.domains.${stem}.models import ${className}`,
    `from app.domains.${stem}.schemas import ${className}Create, ${className}Update`,
    '',
    '',
    `class ${className}Service:`,
    '    def __init__(self, session: AsyncSession) -> None:',
    '        self.session = session',
    '',
    `    async def get(self, ${idParam}: int) -> ${className} | None:`,
    `        return await self.session.get(${className}, ${idParam})`,
    '',
    `    async def list(self, offset: int, limit: int) -> list[${className}]:`,
    `        result = await self.session.scalars(select(${className}).order_by(${className}.id).offset(offset).limit(limit))`,
    '        return list(result)',
    '',
    `    async def create(self, data: ${className}Create) -> ${className}:`,
    `        ${noun} = ${className}(**data.model_dump())`,
    `        self.session.add(${noun})`,
    '        await self.session.commit()',
    `        await self.session.refresh(${noun})`,
    `        return ${noun}`,
    '',
    `    async def update(self, ${idParam}: int, data: ${className}Update) -> ${className} | None:`,
    `        ${noun} = await self.get(${idParam})`,
    `        if ${noun} is None:`,
    '            return None',
    '        for name, value in data.model_dump(exclude_unset=True).items():',
    `            setattr(${noun}, name, value)`,
    '        await self.session.commit()',
    `        return ${noun}`,
    '',
    `    async def delete(self, ${idParam}: int) -> bool:`,
    `        ${noun} = await self.get(${idParam})`,
    `        if ${noun} is None:`,
    '            return False',
    `        await self.session.delete(${noun})`,
    '        await self.session.commit()',
    '        return True',
    '',
    `    async def increment_views(self, ${idParam}: int) -> int:`,
    '        views = await self.session.scalar(',
    `            update(${className}).where(${className}.id == ${idParam}).values(views=${className}.views + 1).returning(${className}.views)`,
    '        )',
    '        await self.session.commit()',
    '        return views or 0',
    '',
    `    async def adjust_${counter.name}(self, ${idParam}: int, delta: int) -> ${className} | None:`,
  );
  if (plan.ormRace) {
    source.add(`        ${noun} = await self.session.get(${className}, ${idParam})`, `        if ${noun} is None:`, '            return None');
    source.hazard('IL105', `        ${noun}.${counter.name} = ${noun}.${counter.name} + delta`);
  } else {
    source.add(
      `        ${noun} = await self.session.get(${className}, ${idParam}, with_for_update=True)`,
      `        if ${noun} is None:`,
      '            return None',
      `        ${noun}.${counter.name} = ${noun}.${counter.name} + delta`,
    );
  }
  source.add('        await self.session.commit()', `        return ${noun}`);
  for (const field of plan.fields) {
    source.add(
      '',
      `    async def find_by_${field.name}(self, value: ${field.python.replace(' | None', '')}) -> list[${className}]:`,
      `        result = await self.session.scalars(select(${className}).where(${className}.${field.name} == value).limit(100))`,
      '        return list(result)',
    );
  }
  return source;
}

function dependenciesModule(plan: DomainPlan): PythonSource {
  const { className, noun, package: stem } = plan.domain;
  return new PythonSource().add(
    `"""The ${noun} service, per request."""`,
    '',
    'from typing import Annotated',
    '',
    'from fastapi import Depends',
    '',
    'from app.core.db import SessionDep',
    `from app.domains.${stem}.service import ${className}Service`,
    '',
    '',
    `def get_${noun}_service(session: SessionDep) -> ${className}Service:`,
    `    return ${className}Service(session)`,
    '',
    '',
    `${className}ServiceDep = Annotated[${className}Service, Depends(get_${noun}_service)]`,
  );
}

const CORE_MODULES: Record<string, string[]> = {
  'app/__init__.py': [],
  'app/core/__init__.py': [],
  'app/domains/__init__.py': [],
  'app/core/config.py': [
    '"""Settings, read once from the environment."""',
    '',
    'from pydantic_settings import BaseSettings, SettingsConfigDict',
    '',
    '',
    'class Settings(BaseSettings):',
    '    model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env")',
    '',
    '    database_url: str = "postgresql+asyncpg://app:app@localhost/app"',
    '    pool_size: int = 10',
    '    partner_api_url: str = "https://partner.example.com/api"',
    '    http_timeout: float = 10.0',
    '    export_dir: str = "/var/lib/app/exports"',
    '',
    '',
    'settings = Settings()',
  ],
  'app/core/db.py': [
    '"""The declarative base, and one session per request from the lifespan\'s sessionmaker."""',
    '',
    'from collections.abc import AsyncIterator',
    'from typing import Annotated',
    '',
    'from fastapi import Depends, Request',
    'from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker',
    'from sqlalchemy.orm import DeclarativeBase',
    '',
    '',
    'class Base(DeclarativeBase):',
    '    pass',
    '',
    '',
    'async def get_session(request: Request) -> AsyncIterator[AsyncSession]:',
    '    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker',
    '    async with sessionmaker() as session:',
    '        yield session',
    '',
    '',
    'SessionDep = Annotated[AsyncSession, Depends(get_session)]',
  ],
  'app/core/http.py': [
    '"""The HTTP client shared by every request, opened and closed by the lifespan."""',
    '',
    'from typing import Annotated',
    '',
    'import httpx',
    'from fastapi import Depends, Request',
    '',
    '',
    'def get_http(request: Request) -> httpx.AsyncClient:',
    '    return request.app.state.http',
    '',
    '',
    'HttpDep = Annotated[httpx.AsyncClient, Depends(get_http)]',
  ],
  'app/core/reports.py': [
    '"""CSV exports. Sync file I/O: call it through run_in_threadpool from async code."""',
    '',
    'import csv',
    'from pathlib import Path',
    '',
    'from app.core.config import settings',
    '',
    '',
    'def render_report(name: str, rows: list[dict[str, object]]) -> str:',
    '    path = Path(settings.export_dir) / f"{name}.csv"',
    '    with open(path, "w", newline="") as handle:',
    '        writer = csv.DictWriter(handle, fieldnames=sorted(rows[0]) if rows else ["id"])',
    '        writer.writeheader()',
    '        writer.writerows(rows)',
    '    return str(path)',
  ],
  'app/core/notifications.py': [
    '"""Notifications to the people watching an item."""',
    '',
    'import logging',
    '',
    'logger = logging.getLogger(__name__)',
    '',
    '',
    'async def notify_watchers(topic: str, item_id: int) -> None:',
    '    logger.info("notifying watchers of %s %s", topic, item_id)',
  ],
};

function mainModule(): string[] {
  return [
    '"""The application: a lifespan that owns the database engine and the HTTP client."""',
    '',
    'from collections.abc import AsyncIterator',
    'from contextlib import asynccontextmanager',
    '',
    'import httpx',
    'from fastapi import FastAPI',
    'from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine',
    '',
    'from app.api import api_router',
    'from app.core.config import settings',
    '',
    '',
    '@asynccontextmanager',
    'async def lifespan(app: FastAPI) -> AsyncIterator[None]:',
    '    engine = create_async_engine(settings.database_url, pool_size=settings.pool_size)',
    '    app.state.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)',
    '    app.state.http = httpx.AsyncClient(timeout=settings.http_timeout)',
    '    try:',
    '        yield',
    '    finally:',
    '        await app.state.http.aclose()',
    '        await engine.dispose()',
    '',
    '',
    'app = FastAPI(title="Generated service", lifespan=lifespan)',
    'app.include_router(api_router)',
  ];
}

function apiModule(domains: readonly Domain[]): string[] {
  return [
    '"""Every domain\'s router under /api."""',
    '',
    'from fastapi import APIRouter',
    '',
    ...domains.map((domain) => `from app.domains.${domain.package}.router import router as ${domain.package}_router`),
    '',
    'api_router = APIRouter(prefix="/api")',
    ...domains.map((domain) => `api_router.include_router(${domain.package}_router)`),
  ];
}

function textOf(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function generateProject(options: ProjectOptions): GeneratedProject {
  const random = new SeededRandom(options.seed);
  const files: GeneratedFile[] = [];
  const planted: PlantedHazard[] = [];
  let lines = 0;
  const emit = (path: string, source: PythonSource | readonly string[]) => {
    const content = source instanceof PythonSource ? source.lines : source;
    if (source instanceof PythonSource) for (const mark of source.marks) planted.push({ path, line: mark.index + 1, code: mark.code });
    files.push({ path, text: textOf(content) });
    lines += content.length;
  };
  for (const [path, content] of Object.entries(CORE_MODULES)) emit(path, content);
  emit('app/main.py', mainModule());
  // Served by gunicorn with four workers: per-process state (IL103) is reported only when a deployment says so.
  emit('gunicorn.conf.py', ['workers = 4', 'worker_class = "uvicorn.workers.UvicornWorker"']);
  // IL103 is a preview rule, which the project selects by its code.
  emit('interleave.toml', ['extend-select = ["IL103"]']);
  const domains: Domain[] = [];
  // The api module lists every domain; its lines are counted before the domains are chosen.
  const apiLinesPerDomain = 2;
  while (lines + domains.length * apiLinesPerDomain < options.lines) {
    const domain = domainOf(domains.length);
    const fields = random.sample(FIELDS, random.between(3, 7));
    const counter = fields.find((field) => field.counter) ?? FIELDS.find((field) => field.counter)!;
    if (!fields.includes(counter)) fields.push(counter);
    const plan: DomainPlan = { domain, fields, counter, viewRace: random.chance(VIEW_RACE_RATE), ormRace: random.chance(ORM_RACE_RATE) };
    const base = `app/domains/${domain.package}`;
    emit(`${base}/__init__.py`, []);
    emit(`${base}/schemas.py`, schemasModule(plan));
    emit(`${base}/models.py`, modelsModule(plan));
    emit(`${base}/service.py`, serviceModule(plan));
    emit(`${base}/dependencies.py`, dependenciesModule(plan));
    emit(`${base}/router.py`, routerModule(plan, random, domains.length === 0 ? (options.largeRouterLines ?? 0) : 0));
    domains.push(domain);
  }
  emit('app/api.py', apiModule(domains));
  return { files, planted, lines };
}
