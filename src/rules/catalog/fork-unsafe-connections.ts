import { CallMatcher, type CatalogEntry } from '../../core/call-pattern';
import type { LiteralArgument } from '../../core/facts';

/**
 * Calls that open a connection, a pool of them or a client's background threads the moment they
 * run, for IL603 (fork-shared-connection): made while gunicorn preloads the app, their sockets
 * and threads are copied into every worker it forks. Each entry is here because the library
 * documents it (see the notes); constructors that connect on first use are left out:
 * `redis.Redis()` (its pool also checks the process id and reconnects after a fork),
 * `sqlalchemy.create_engine()` (no connection until the first checkout), `motor`'s
 * `AsyncIOMotorClient()` (it passes `connect=False` to PyMongo), `pymongo.AsyncMongoClient()`,
 * `kombu.Connection()`, `httpx.Client()`, `requests.Session()`, `boto3.client()`,
 * `elasticsearch.Elasticsearch()` and the async drivers, which cannot connect without a running
 * event loop.
 */
export interface ForkUnsafeCall extends CatalogEntry {
  /**
   * A keyword argument that makes the call connect on first use instead, added by the fix:
   * `MongoClient(..., connect=False)`. Also one of the entry's `unlessLiteral` conditions.
   */
  deferredBy?: { keyword: string; value: string };
}

const AFTER_FORK = 'create it after the fork: in the lifespan, or on first use';

export const FORK_UNSAFE_CALLS: readonly ForkUnsafeCall[] = [
  {
    // PyMongo FAQ, "Is PyMongo fork-safe?": MongoClient starts monitor threads and must not be copied to a child process.
    calls: ['pymongo.MongoClient', 'pymongo.mongo_client.MongoClient'],
    unlessLiteral: [{ keyword: 'connect', values: ['False'] }],
    deferredBy: { keyword: 'connect', value: 'False' },
    does: "starts PyMongo's monitor threads and connection pool (PyMongo documents `MongoClient` as not fork-safe: a copy in a forked worker can deadlock)",
    suggestion: `${AFTER_FORK} — \`MongoClient(..., connect=False)\` connects on the first operation, in the worker`,
  },
  {
    calls: ['psycopg2.connect', 'psycopg.connect', 'psycopg.Connection.connect'],
    does: 'opens a PostgreSQL connection',
    suggestion: AFTER_FORK,
  },
  {
    // psycopg2.pool: "New minconn connections are created automatically."
    calls: ['psycopg2.pool.{SimpleConnectionPool,ThreadedConnectionPool,AbstractConnectionPool}'],
    unlessLiteral: [{ keyword: 'minconn', values: ['0'] }, { position: 0, values: ['0'] }],
    does: 'opens its `minconn` PostgreSQL connections',
    suggestion: AFTER_FORK,
  },
  {
    // psycopg_pool: "the pool starts connecting immediately" unless built with `open=False`.
    calls: ['psycopg_pool.ConnectionPool', 'psycopg_pool.pool.ConnectionPool'],
    unlessLiteral: [{ keyword: 'open', values: ['False'] }],
    does: "starts the pool's worker threads and opens its `min_size` PostgreSQL connections",
    suggestion: 'build it with `open=False` and call `pool.open()` in the lifespan',
  },
  {
    calls: ['{pymysql,MySQLdb,mysql.connector,mariadb,cx_Oracle,oracledb}.connect', 'pymysql.connections.Connection', 'MySQLdb.Connection'],
    does: 'opens a database connection',
    suggestion: AFTER_FORK,
  },
  {
    calls: ['{oracledb,cx_Oracle}.{create_pool,SessionPool}'],
    does: 'opens its minimum number of Oracle connections',
    suggestion: AFTER_FORK,
  },
  {
    // SQLite, "How To Corrupt An SQLite Database File": do not carry an open connection across fork().
    calls: ['sqlite3.connect', 'sqlite3.dbapi2.connect'],
    does: 'opens an SQLite database file (SQLite warns against carrying an open connection across `fork()`)',
    suggestion: AFTER_FORK,
  },
  {
    // SQLAlchemy, "Using Connection Pools with Multiprocessing or os.fork()": pooled connections must not be shared with a forked process.
    calls: [
      '{sqlalchemy,sqlalchemy.engine,sqlmodel}.{create_engine,engine_from_config}().{connect,begin,raw_connection}',
      '{sqlalchemy,sqlalchemy.engine}.{Engine,engine.base.Engine}().{connect,begin,raw_connection}',
    ],
    does: "checks a connection out of the engine's pool, which keeps it open afterwards (SQLAlchemy documents that pooled connections must not be shared with a forked process)",
    suggestion: 'run it in the lifespan, or call `engine.dispose(close=False)` in each worker (gunicorn\'s `post_fork` hook)',
  },
  {
    calls: ['pika.BlockingConnection', 'pika.adapters.blocking_connection.BlockingConnection'],
    does: 'connects to RabbitMQ',
    suggestion: AFTER_FORK,
  },
  {
    // kafka-python and confluent-kafka: the clients run background threads, which do not survive a fork.
    calls: ['kafka.{KafkaProducer,KafkaConsumer}', 'confluent_kafka.{Producer,Consumer,SerializingProducer,DeserializingConsumer}'],
    does: "connects to the Kafka brokers and starts the client's background threads, which a forked worker does not have",
    suggestion: AFTER_FORK,
  },
  {
    // gRPC, doc/fork_support.md: channels created before fork() are not supported.
    calls: ['grpc.{insecure_channel,secure_channel}'],
    does: "creates a gRPC channel, whose core threads and sockets gRPC does not support across `fork()`",
    suggestion: AFTER_FORK,
  },
  {
    calls: ['cassandra.cluster.Cluster().connect'],
    does: 'connects to Cassandra and starts the driver\'s event loop thread',
    suggestion: AFTER_FORK,
  },
  {
    calls: ['socket.create_connection', 'socket.socket().connect'],
    does: 'opens a socket',
    suggestion: AFTER_FORK,
  },
];

/** `Base.metadata.create_all(engine)`: checks a connection out of the engine's pool, which keeps it. */
const CREATE_ALL: ForkUnsafeCall = {
  calls: [],
  does: "checks a connection out of the engine's pool to create the tables, and the pool keeps it open afterwards (SQLAlchemy documents that pooled connections must not be shared with a forked process)",
  suggestion: 'create the tables in the lifespan, in a migration, or before starting gunicorn',
};

/**
 * The fork-unsafe calls, and `<anything>.metadata.create_all`: the metadata object is the
 * application's own (`Base.metadata`, `SQLModel.metadata`), so it is matched by its method.
 */
export class ForkUnsafeCalls extends CallMatcher<ForkUnsafeCall> {
  constructor() {
    super(FORK_UNSAFE_CALLS);
  }

  override match(callee: string | undefined, literals?: readonly LiteralArgument[]): ForkUnsafeCall | undefined {
    return super.match(callee, literals) ?? (callee && /(^|\.)metadata\.create_all$/.test(callee) ? CREATE_ALL : undefined);
  }
}
