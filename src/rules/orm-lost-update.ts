import { calleeIndex } from '../core/call-graph';
import type { FieldWriteEvent, FunctionFacts, ModuleFacts, Range } from '../core/facts';
import { callsOf } from '../core/request-reach';
import type { Rule } from '../core/rule';
import { eventsById, valueOrigins } from '../core/value-origins';
import { commitsOnExit, isSessionParameter, locksRows, methodOf, persists, REMEDIES } from './catalog/orm';
import { bindsNewObject, derivesFromOwnField, ProjectRows, rowLoadOf, summarizeRowLoads, type RowLoad } from './orm/row-loads';
import { line, runsOnlyAtSetup } from './race-reporting';

/** Modules that run once or only in tests, by dotted name: migrations, management commands, tests. */
const ONE_OFF_MODULE = /(^|\.)(tests?|migrations|alembic|management\.commands)(\.|$)|(^|\.)(test_\w*|\w*_test|conftest)$/;
const ONE_OFF_KINDS = new Set(['lifespan', 'startup', 'shutdown']);

/** Migrations, whatever their directory is called: Alembic revisions and Django migrations import their framework. */
function isMigration(module: ModuleFacts): boolean {
  return module.imports.some((fact) => fact.target === 'alembic' || fact.target.startsWith('alembic.') || fact.target.startsWith('django.db.migrations'));
}

function runsOnlyOnce(module: ModuleFacts, fn: FunctionFacts): boolean {
  return ONE_OFF_KINDS.has(fn.kind) || fn.name.startsWith('test') || ONE_OFF_MODULE.test(module.moduleName) || isMigration(module);
}

/** The functions of the module that call `fn`, directly or through others. */
function callersOf(fn: FunctionFacts, module: ModuleFacts): FunctionFacts[] {
  const index = calleeIndex(module);
  const callers: FunctionFacts[] = [];
  const queue = [fn];
  while (queue.length > 0) {
    const callee = queue.pop()!;
    for (const candidate of module.functions) {
      if (callers.includes(candidate) || candidate === fn) continue;
      if (callsOf(candidate).some((call) => call.callee !== undefined && index.get(call.callee)?.includes(callee))) {
        callers.push(candidate);
        queue.push(candidate);
      }
    }
  }
  return callers;
}

/** A row whose field is updated, and the function that loaded it when that is a caller passing it in. */
interface UpdatedRow {
  load: RowLoad;
  loadedBy?: FunctionFacts;
}

/** Where the change is committed: in a function of this module, or by a session dependency after the request. */
interface Persistence {
  site: { range: Range };
  path: string;
  description: string;
}

/**
 * Where the changed row is written back: a commit, flush or `save()` in the function, in a
 * function of the module that calls it, or in a function it calls; a `with session.begin():`
 * block, which commits when it ends; or, for a session the function is handed, the project's
 * dependency that commits after each request.
 */
function persistence(fn: FunctionFacts, module: ModuleFacts, object: string, rows: ProjectRows, { load, loadedBy }: UpdatedRow): Persistence | undefined {
  const index = calleeIndex(module);
  const own = new Set([object, ...(load.parent ? [load.parent] : [])]);
  const called = callsOf(fn).flatMap((call) => (call.callee ? (index.get(call.callee) ?? []) : []));
  for (const candidate of [fn, ...callersOf(fn, module), ...called]) {
    const calls = new Map(callsOf(candidate).map((call) => [call.id, call]));
    for (const block of candidate.flow.blocks) {
      for (const event of block.events) {
        const commits = (event.kind === 'call' && persists(event, candidate === fn ? own : new Set())) || (event.kind === 'context' && commitsOnExit(event, calls));
        if (!commits) continue;
        const how = event.kind === 'call' && !/^(commit|flush)$/.test(methodOf(event)) ? 'written back' : 'committed';
        const description = candidate === fn ? `${how} at ${line(event.range)}` : `${how} by \`${candidate.name}\` (${line(event.range)})`;
        return { site: event, path: module.path, description };
      }
    }
  }
  // A SQLAlchemy session handed in (a parameter) by a dependency that commits after the request.
  const injected = (loadedBy ?? fn).params.some(isSessionParameter);
  const unitOfWork = load.flavour === 'sqlalchemy' && injected ? rows.unitOfWork() : undefined;
  if (!unitOfWork) return undefined;
  return { site: unitOfWork, path: unitOfWork.path, description: `committed when the request ends, by \`${unitOfWork.name}\`` };
}

/**
 * A function that locks some row (`select_for_update()` on a parent row, say) serialises the
 * transactions it runs: the rows it then loads without a lock are taken to be covered.
 */
function takesRowLocks(fn: FunctionFacts): boolean {
  return callsOf(fn).some(locksRows);
}

/**
 * The rows callers in this module pass for `fn`'s parameter `name`: `apply(order)` where the
 * caller loaded `order` without a lock. Each with the caller.
 */
function rowsPassedIn(fn: FunctionFacts, name: string, module: ModuleFacts, rows: ProjectRows): UpdatedRow[] {
  const index = fn.params.findIndex((param) => param.name === name);
  if (index < 0) return [];
  // `self`/`cls` is not written at the call site.
  const position = index - (fn.className && !fn.decorators.some((decorator) => decorator.endsWith('staticmethod')) ? 1 : 0);
  const callees = calleeIndex(module);
  const passed: UpdatedRow[] = [];
  for (const caller of module.functions) {
    if (caller === fn || runsOnlyOnce(module, caller) || takesRowLocks(caller)) continue;
    const origins = valueOrigins(caller, 'stopAtFields');
    const events = eventsById(caller);
    for (const call of callsOf(caller)) {
      const argument = call.positional?.[position];
      if (!call.callee || !argument || !callees.get(call.callee)?.includes(fn)) continue;
      const given = origins.get(call)?.passed?.get(argument);
      const load = given && !bindsNewObject(caller, argument, events) && rowLoadOf(given, events, module, (callee) => rows.loader(callee));
      if (load) passed.push({ load, loadedBy: caller });
    }
  }
  return passed;
}

function describeModel(load: RowLoad): string {
  if (load.parent) return 'a related row';
  if (load.flavour === 'store') return `the object read through \`${load.site.text}\``;
  return load.modelText ? `the \`${load.modelText}\` row` : 'the row';
}

function message(write: FieldWriteEvent, { load, loadedBy }: UpdatedRow, persisted: Persistence): string {
  const field = `${write.object}.${write.field}`;
  const remedies = REMEDIES[load.flavour];
  const model = load.modelText ?? 'Model';
  const at = load.parent
    ? `reached through \`${load.parent}\`, loaded at ${line(load.site.range)},`
    : `${load.flavour === 'store' ? 'at' : 'loaded at'} ${line(load.site.range)}`;
  const loaded = loadedBy ? `loaded by \`${loadedBy.name}\` (${line(load.site.range)}), which passes it in,` : at;
  return (
    `\`${field}\` is set from its own old value on ${describeModel(load)} ${loaded} without a lock, and ${persisted.description}. ` +
    `Two requests can load the same row at once, both compute from the same old \`${write.field}\`, and both commit: the second commit ` +
    `overwrites the first and one update is lost, with no error. Either ${remedies.lock}, ${remedies.atomic(model, write.field)}, or ${remedies.version}.`
  );
}

export const ormLostUpdate: Rule = {
  meta: {
    code: 'IL105',
    name: 'orm-lost-update',
    family: 'race',
    defaultSeverity: 'warning',
    summary:
      'A database row is loaded without a lock, a field is set from its old value in Python, and the row is committed: concurrent requests lose updates.',
    languages: ['python'],
    fix: 'none',
    docs: {
      whatItDoes: `
Finds a field of a database row assigned a value computed from its own old value in Python —
\`acct.balance = acct.balance - amount\`, \`item.stock -= 1\`, \`x.n = max(0, x.n - k)\`,
\`x.tags = x.tags + [t]\` — where the row was loaded by an ORM query without a row lock and the change is then committed (\`commit()\`,
\`flush()\`, \`save()\`, or the end of a \`with session.begin():\` block), in the function, a
function of the module that calls it, or one it calls. It knows SQLAlchemy (sync \`Session\` and
\`AsyncSession\`: \`get\`, \`query(...).first()\`, \`execute(select(...)).scalar_one()\`,
\`scalars(...).first()\`), SQLModel (\`exec(select(...)).first()\`), Flask-SQLAlchemy
(\`Model.query.get\`) and the Django ORM (\`Model.objects.get\`, \`get_object_or_404\`), and rows
returned by the project's own helpers (\`get_account_or_404(db, id)\`), across modules.

It stays silent when the query locks the row (\`with_for_update()\`,
\`get(..., with_for_update=True)\`, \`select_for_update()\`), when the model maps a version column
(\`__mapper_args__ = {"version_id_col": ...}\`, django-concurrency's \`VersionField\`), when the
update is one SQL statement (\`update(Model).values(f=Model.f - n)\`, Django \`F("f") - n\`), and
when the new value does not derive from the old one (\`order.status = "paid"\`) or is made from it
alone by a function (a password rehash, \`x.name.strip()\`), which racing requests would write
identically.`,
      whyIsThisBad: `
The read and the write happen in different statements, and between them the row is only in the
application's memory. Two requests that update the same row at the same time both \`SELECT\` the
same old value, both compute from it, and both \`UPDATE\` with their own result: the second
commit silently replaces the first. A stock count goes up by one when two units were returned, a
balance is debited once for two purchases. Database transactions do not prevent this at the
default isolation level (READ COMMITTED), and it happens across worker processes and machines, so
no in-process lock helps. It only shows under concurrent load, never in tests.`,
      examples: [
        {
          language: 'python',
          framework: 'SQLAlchemy',
          bad: `
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Product, get_session

app = FastAPI()


@app.post("/products/{product_id}/restock")
async def restock(product_id: int, quantity: int, session: AsyncSession) -> dict:
    product = await session.get(Product, product_id)
    product.stock = product.stock + quantity
    await session.commit()
    return {"stock": product.stock}
`,
          good: `
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Product, get_session

app = FastAPI()


@app.post("/products/{product_id}/restock")
async def restock(product_id: int, quantity: int, session: AsyncSession) -> dict:
    stock = await session.scalar(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + quantity)
        .returning(Product.stock)
    )
    await session.commit()
    return {"stock": stock}
`,
        },
        {
          language: 'python',
          framework: 'Django',
          bad: `
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from shop.models import Wallet


def withdraw(request, wallet_id: int, amount: int):
    wallet = get_object_or_404(Wallet, pk=wallet_id)
    wallet.balance -= amount
    wallet.save(update_fields=["balance"])
    return JsonResponse({"balance": wallet.balance})
`,
          good: `
from django.db import transaction
from django.http import JsonResponse

from shop.models import Wallet


def withdraw(request, wallet_id: int, amount: int):
    with transaction.atomic():
        wallet = Wallet.objects.select_for_update().get(pk=wallet_id)
        wallet.balance -= amount
        wallet.save(update_fields=["balance"])
    return JsonResponse({"balance": wallet.balance})
`,
        },
      ],
      fixSafety: `
There is no automatic fix. Which remedy is right depends on the code around it: an atomic
\`UPDATE\` is the cheapest but moves validation into the \`WHERE\` clause
(\`.where(Product.stock >= n)\`); a row lock (\`with_for_update()\`) keeps the Python code but
holds the lock until the commit, so keep that transaction short and take locks in a consistent
order; a version column (\`version_id_col\`) never blocks but makes the losing request fail with
\`StaleDataError\`, which the handler must retry or turn into a 409.`,
      whenNotToUse: `
When the database already serialises these transactions (the session runs at \`SERIALIZABLE\` or
PostgreSQL \`REPEATABLE READ\` isolation and the handler retries serialization failures), or
when the row is only ever updated by one writer (a per-user row behind a per-user lock or queue),
suppress with a reason: \`# interleave: ignore[orm-lost-update] -- serializable transaction with retry\`.`,
    },
  },
  summarize(module) {
    return summarizeRowLoads(module);
  },
  check(context) {
    const { module, project, report } = context;
    let rows: ProjectRows | undefined;
    for (const fn of module.functions) {
      if (runsOnlyOnce(module, fn) || runsOnlyAtSetup(context, fn)) continue;
      const writes = fn.flow.blocks.flatMap((block) => block.events.filter((event) => event.kind === 'field-write'));
      if (writes.length === 0) continue;
      rows ??= new ProjectRows(project, 'IL105', module);
      const origins = valueOrigins(fn, 'stopAtFields');
      const events = eventsById(fn);
      const reported = new Set<string>();
      for (const write of writes) {
        const where = `${write.object}.${write.field}`;
        const found = origins.get(write);
        if (reported.has(where) || !found?.object || bindsNewObject(fn, write.object, events)) continue;
        if (!derivesFromOwnField(write, found.value, events, (event) => origins.get(event)?.value, writes)) continue;
        const own = rowLoadOf(found.object, events, module, (callee) => rows!.loader(callee), (event) => origins.get(event)?.object);
        const candidates: UpdatedRow[] = own
          ? takesRowLocks(fn) ? [] : [{ load: own }]
          : found.object.names.has(write.object) ? rowsPassedIn(fn, write.object, module, rows) : [];
        const updated = candidates.find(
          ({ load }) => !load.locked && !(load.model && rows!.versioned(load.model)) && !rows!.relationship(load.model, write.field),
        );
        const persisted = updated && persistence(fn, module, write.object, rows, updated);
        if (!updated || !persisted) continue;
        reported.add(where);
        report({
          message: message(write, updated, persisted),
          range: write.range,
          related: [
            { path: module.path, range: updated.load.site.range, message: `${describeModel(updated.load)} loaded here, without a lock` },
            { path: persisted.path, range: persisted.site.range, message: 'committed here: the last commit wins' },
          ],
        });
      }
    }
  },
};
