/**
 * ORM calls as IL105 (orm-lost-update) reads them: what loads a row, what locks it, what
 * persists it, and what maps a version column. SQLAlchemy (sync and async), SQLModel,
 * Flask-SQLAlchemy and the Django ORM. Calls are named by qualified callee where the frontend
 * infers the receiver's type, else by the text as written.
 */
import type { CallEvent, ClassAttributeFact, ContextEvent, Parameter } from '../../core/facts';

/** `store`: a repository or data-access object of the application's, whatever it stores in. */
export type OrmFlavour = 'sqlalchemy' | 'django' | 'store';

/** Session types as the frontend infers instance types. */
const SESSION_TYPES: ReadonlySet<string> = new Set([
  'sqlalchemy.orm.Session()',
  'sqlalchemy.orm.session.Session()',
  'sqlalchemy.orm.scoped_session()',
  'sqlalchemy.orm.scoping.scoped_session()',
  'sqlalchemy.orm.sessionmaker()()',
  'sqlalchemy.ext.asyncio.AsyncSession()',
  'sqlalchemy.ext.asyncio.session.AsyncSession()',
  'sqlalchemy.ext.asyncio.async_sessionmaker()()',
  'sqlalchemy.ext.asyncio.async_scoped_session()',
  'sqlmodel.Session()',
  'sqlmodel.orm.session.Session()',
  'sqlmodel.ext.asyncio.session.AsyncSession()',
  'flask_sqlalchemy.SQLAlchemy().session',
]);

/**
 * A receiver whose type the frontend cannot see (a session handed out by a dependency alias in
 * another module, an unannotated parameter) but whose name says it is a session: `db`,
 * `session`, `db_session`, `self.session`, `request.state.db`.
 */
const SESSION_NAME = /(^|[._])(session|db|sess|db_session|dbsession|async_session)$/i;
/**
 * An inferred type of the project's that names a session: `app.deps.SessionDep()`,
 * `app.db.DbSession()`, `app.database.SessionLocal.begin()`; HTTP and cloud SDK sessions excluded.
 */
const SESSION_TYPE_NAME = /Session|Db[A-Z_]|DB/;
const OTHER_SESSIONS = /^(requests|aiohttp|httpx|niquests|urllib3|boto3|botocore|aioboto3|grpc)\./;

/** The builders of SELECT statements. */
const SELECT_BUILDERS: ReadonlySet<string> = new Set([
  'sqlalchemy.select',
  'sqlalchemy.future.select',
  'sqlalchemy.sql.select',
  'sqlalchemy.sql.expression.select',
  'sqlmodel.select',
  'sqlmodel.sql.expression.select',
]);

/** Session methods that return one row, given the model and a key: `db.get(Account, id)`. */
const SESSION_ROW_GETTERS = new Set(['get', 'get_one', 'get_or_404']);
/** Session methods that run a query built elsewhere. */
const SESSION_QUERY_METHODS = new Set(['query', 'execute', 'exec', 'scalar', 'scalars', 'first_or_404', 'one_or_404']);
/** Methods that take one row out of a query or result. */
const ROW_TAKERS = new Set([
  'first', 'one', 'one_or_none', 'scalar', 'scalar_one', 'scalar_one_or_none', 'get', 'get_one', 'first_or_404', 'one_or_404', 'get_or_404',
]);
/** Django manager and queryset methods that return one model instance. */
const DJANGO_ROW_TAKERS = new Set(['get', 'aget', 'first', 'afirst', 'last', 'alast', 'earliest', 'aearliest', 'latest', 'alatest', 'get_or_create', 'aget_or_create']);
const DJANGO_SHORTCUTS: ReadonlySet<string> = new Set(['django.shortcuts.get_object_or_404', 'django.shortcuts.aget_object_or_404']);

/** Calls that make the database lock the rows a query returns until the transaction ends. */
const LOCKING_METHODS = new Set(['with_for_update', 'select_for_update', 'with_lockmode']);

/** A version column makes a stale commit fail instead of overwriting: SQLAlchemy's mapper option and django-concurrency's fields. */
const VERSION_MAPPER_OPTION = /\bversion_id_col\b/;
const VERSION_FIELD = /^[\w.]*VersionField\s*\(/;

/** The method a call makes: the last segment of what it calls. */
export function methodOf(call: Pick<CallEvent, 'callee' | 'text'>): string {
  const name = call.callee ?? call.text;
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The receiver's inferred type when the callee is a method on one: `sqlalchemy.orm.Session()`. */
function receiverType(call: CallEvent): string | undefined {
  if (!call.callee?.endsWith(`.${methodOf(call)}`)) return undefined;
  const type = call.callee.slice(0, call.callee.length - methodOf(call).length - 1);
  return type.includes('(') ? type : undefined;
}

/** Whether an inferred type's own name (`SessionDep` of `app.deps.SessionDep()`) says it is a session. */
function namesSession(type: string): boolean {
  const bare = type.replace(/\(\)$/, '');
  return !OTHER_SESSIONS.test(type) && SESSION_TYPE_NAME.test(bare.slice(bare.lastIndexOf('.') + 1));
}

/** A method called on a database session, by its type or, when the type is unknown, its name. */
function isSessionCall(call: CallEvent): boolean {
  // `with Session.begin() as session:` and `SessionLocal.begin()` hand out a session.
  const type = receiverType(call)?.replace(/\.begin\(\)$/, '()');
  if (type && (SESSION_TYPES.has(type) || namesSession(type))) return true;
  // Whatever the application keeps on `app.state` has no type to go by: `request.app.state.sessions()`.
  if (type && !type.startsWith('builtins.') && !/\.state\./.test(type)) return false;
  const receiverText = call.receiver?.text ?? call.text.slice(0, Math.max(0, call.text.length - methodOf(call).length - 1));
  return SESSION_NAME.test(receiverText);
}

/** A database session's type as the frontend infers it (`sqlalchemy.orm.Session()`), or a project type named for one (`app.db.SessionLocal()`). */
export function isSessionType(type: string): boolean {
  return SESSION_TYPES.has(type) || namesSession(type);
}

/** A parameter a framework hands a session in: `db: Session`, `session: SessionDep`, `db` with no annotation. */
export function isSessionParameter(param: Parameter): boolean {
  if (param.annotation) return isSessionType(`${param.annotation}()`);
  return SESSION_NAME.test(param.name);
}

function isDjangoQuery(call: CallEvent): boolean {
  return /(^|\.)objects(\.|$)/.test(call.text) || DJANGO_SHORTCUTS.has(call.callee ?? '');
}

/** Flask-SQLAlchemy's per-model query property: `Account.query.get(id)`. */
function isModelQueryProperty(call: CallEvent): boolean {
  return /^[A-Z]\w*\.query\./.test(call.text);
}

/** Whether a call takes part in building or running an ORM query, and for which ORM. */
export function ormFlavourOf(call: CallEvent): OrmFlavour | undefined {
  if (isDjangoQuery(call)) return 'django';
  if (SELECT_BUILDERS.has(call.callee ?? '') || isModelQueryProperty(call)) return 'sqlalchemy';
  const method = methodOf(call);
  if ((SESSION_ROW_GETTERS.has(method) || SESSION_QUERY_METHODS.has(method)) && isSessionCall(call)) return 'sqlalchemy';
  return undefined;
}

/** A call that returns one row (given that the calls around it are ORM calls). */
export function takesOneRow(call: CallEvent, flavour: OrmFlavour): boolean {
  const method = methodOf(call);
  if (flavour === 'django') return DJANGO_SHORTCUTS.has(call.callee ?? '') || (isDjangoQuery(call) && DJANGO_ROW_TAKERS.has(method));
  if (SESSION_ROW_GETTERS.has(method) && isSessionCall(call)) return true;
  if (method === 'scalar' && isSessionCall(call)) return true;
  return ROW_TAKERS.has(method) && !isSessionCall(call);
}

/** A project's helper named for a locking query: `app_qs_select_for_update()`, `get_order_for_update()`. */
const LOCKING_HELPER = /(^|_)for_update(_|$)/;

/** Keyword arguments that ask a getter to lock what it reads: `with_for_update=True`, a repository's `for_update=True`. */
const LOCKING_KEYWORD = /^(with_for_update|for_update|select_for_update|lock|lock_rows|skip_locked)$/;

/** A locking clause, or a getter asked to lock: `db.get(M, k, with_for_update=True)`, `repo.get_by_id(k, for_update=True)`. */
export function locksRows(call: CallEvent): boolean {
  if (LOCKING_METHODS.has(methodOf(call)) || LOCKING_HELPER.test(methodOf(call))) return true;
  const keyword = call.keywords?.find((name) => LOCKING_KEYWORD.test(name));
  if (!keyword) return false;
  const literal = call.literalArguments?.find((argument) => argument.keyword === keyword);
  return literal === undefined || !['False', 'None'].includes(literal.value);
}

/** The model a query names, as written: `Account` of `db.get(Account, id)`, `select(Account)`, `Account.objects.get(…)`. */
export function queriedModel(call: CallEvent): string | undefined {
  const manager = /^([A-Za-z_][\w.]*?)\.(objects|query)\b/.exec(call.text)?.[1];
  if (manager && /^[A-Z]/.test(manager.split('.').pop()!)) return manager;
  const method = methodOf(call);
  const namesModel =
    SELECT_BUILDERS.has(call.callee ?? '') || DJANGO_SHORTCUTS.has(call.callee ?? '') || ((SESSION_ROW_GETTERS.has(method) || method === 'query') && isSessionCall(call));
  const first = call.positional?.[0];
  return namesModel && first && /^[A-Z]/.test(first.split('.').pop()!) ? first : undefined;
}

/** Methods that write an object back: `row.save()`, `group.update_async(session)`, `repo.update(id, obj)`, `session.merge(obj)`. */
const SAVING_METHOD = /^a?(save|update|upsert|persist|put|replace|merge)(_\w+)?$/;

/**
 * Calls that write the session's changes, or the object itself, to the database: a commit or
 * flush, or a saving method called on the object or handed the object.
 */
export function persists(call: CallEvent, objects: ReadonlySet<string>): boolean {
  const method = methodOf(call);
  if (method === 'commit' || method === 'flush') return true;
  if (!SAVING_METHOD.test(method)) return false;
  if (call.receiver !== undefined && objects.has(call.receiver.key)) return true;
  return (call.arguments ?? []).some((argument) => argument.kind === 'local' && objects.has(argument.key));
}

/** Repository methods that can only be reads of one stored object: `get_one`, `get_by_email`, `findOneBy`. */
const STORE_ROW_GETTER = /^a?(get_one|get_by_\w+|get_\w+_by_\w+|find_one|find_by_\w+|find_\w+_by_\w+|read_one|fetch_one|getOne|findOne\w*|findBy\w+|find\w+ById)$/;
/** Other reads, when what they are called on is named as a repository: `repository.get_active(id)`, `self.repos.users.get(id)`. */
const STORE_READ = /^a?(get|find|read|fetch|load|list|retrieve|lookup)(_\w+|[A-Z]\w*)?$/;
const STORE_RECEIVER = /(^|[._])(repo|repos|repository|repositories|dao|crud|store)$|(Repository|Repo|Store|Dao)$/i;

/**
 * A read of stored objects through the application's repository or data-access layer, whose query
 * is not visible here: `self.repos.tokens.get_one(token)`, `users.get_by_email(email)`.
 */
export function readsStore(call: CallEvent): boolean {
  const method = methodOf(call);
  if (STORE_ROW_GETTER.test(method)) return true;
  if (!STORE_READ.test(method)) return false;
  const receiver = call.receiver?.text ?? call.text.slice(0, Math.max(0, call.text.length - method.length - 1));
  return receiver.split('.').some((part) => STORE_RECEIVER.test(part));
}

/** A mapped class attribute that is a relationship to other rows: `items = relationship("Item")`, `db.relationship(...)`. */
export function mapsRelationship(attribute: ClassAttributeFact): boolean {
  return /^[\w.]*\b(relationship|relation)\s*\(/.test(attribute.value);
}

/** `with session.begin():` commits when the block ends. */
export function commitsOnExit(context: ContextEvent, calls: ReadonlyMap<number, CallEvent>): boolean {
  const call = context.call === undefined ? undefined : calls.get(context.call);
  return call !== undefined && methodOf(call) === 'begin' && (isSessionCall(call) || /Session/.test(call.text));
}

/** A model class attribute that maps a version column. */
export function mapsVersionColumn(attribute: ClassAttributeFact): boolean {
  return (attribute.name === '__mapper_args__' && VERSION_MAPPER_OPTION.test(attribute.value)) || VERSION_FIELD.test(attribute.value);
}

/** Functions whose result carries their argument's value on: conversions and arithmetic helpers. */
const VALUE_CARRIERS: ReadonlySet<string> = new Set([
  ...['max', 'min', 'abs', 'round', 'sum', 'int', 'float', 'str', 'bool', 'list', 'set', 'frozenset', 'tuple', 'dict', 'sorted'].map((name) => `builtins.${name}`),
  'decimal.Decimal',
  'json.loads',
  'json.dumps',
  'copy.copy',
  'copy.deepcopy',
]);

/**
 * A call whose result still carries the value of `field` (`acct.tags`) passed to it, combined with
 * what else it is given: a conversion or arithmetic helper, `x.copy()`, or a method of the value
 * given arguments (`x.tags.union(t)`, `set(x.tags).union(t)`). Other functions (a hash upgrade, a
 * normalisation, a strategy handed the old value) make a new value of their own.
 */
export function carriesValueThrough(call: CallEvent, field: string): boolean {
  if (call.callee !== undefined && VALUE_CARRIERS.has(call.callee)) return true;
  const receiver = call.receiver?.text ?? call.text.slice(0, Math.max(0, call.text.length - methodOf(call).length - 1));
  const onValue = receiver === field || receiver.startsWith(`${field}.`) || (!call.receiver && receiver.includes(field));
  return onValue && (methodOf(call) === 'copy' || (call.positional?.length ?? 0) > 0 || (call.keywords?.length ?? 0) > 0);
}

/** How each ORM spells the three remedies, for messages. */
export const REMEDIES: Readonly<Record<OrmFlavour, { lock: string; atomic: (model: string, field: string) => string; version: string }>> = {
  store: {
    lock: 'read it with a row lock (`SELECT … FOR UPDATE`) in the same transaction as the write',
    atomic: (_model, field) => `let the database compute it in one statement (\`UPDATE … SET ${field} = ${field} + …\`)`,
    version: 'keep a version column and make the update fail when it changed since the read',
  },
  sqlalchemy: {
    lock: 'load the row with `.with_for_update()` so the second request waits for the first commit',
    atomic: (model, field) => `let the database do the arithmetic in one statement (\`update(${model}).values(${field}=${model}.${field} + …)\`)`,
    version: 'map a version column (`__mapper_args__ = {"version_id_col": …}`) so the stale commit fails instead of overwriting',
  },
  django: {
    lock: 'load the row with `.select_for_update()` inside `transaction.atomic()` so the second request waits for the first',
    atomic: (model, field) => `let the database do the arithmetic (\`${model}.objects.filter(…).update(${field}=F("${field}") + …)\`)`,
    version: 'add a version field (django-concurrency) so the stale save fails instead of overwriting',
  },
};
