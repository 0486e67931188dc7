/**
 * Resources that hold sockets, connection pools, threads or file handles, by the qualified
 * callee that creates them (Python's and Node's), with the call that releases each. IL301 (missing-cleanup) and IL302
 * (per-request-client) read this table; nothing else about a library lives in the rules.
 */

export interface CloseCall {
  method: string;
  awaited: boolean;
}

export type ResourceCategory =
  | 'HTTP client'
  | 'database engine'
  | 'connection pool'
  | 'database connection'
  | 'cache client'
  | 'message broker client'
  | 'RPC channel'
  | 'SDK client'
  | 'executor'
  | 'browser'
  | 'file';

export interface ResourceKind {
  /** What messages call it, e.g. `httpx.AsyncClient`. */
  label: string;
  category: ResourceCategory;
  /** Qualified callees that create it. */
  constructors: readonly string[];
  /** Calls that release it; the first is the one fixes and messages suggest. */
  closes: readonly CloseCall[];
  /**
   * Built once and shared, it pools connections: constructing it per request (IL302) throws the
   * pool away. Sessions, single connections, executors and files are not in this group.
   */
  pooled: boolean;
  /**
   * Left open at module level it leaks at every reload and at shutdown (IL301). False for
   * synchronous engines and clients that the FastAPI tutorials create at import time, which the
   * interpreter cleans up at exit, and for SDK clients documented as module-level singletons.
   */
  leaksAtModuleLevel: boolean;
  /** A keyword argument that hands it a shared pool (`connection_pool=`): built that way it is cheap and owns nothing. */
  sharedPoolKeyword?: string;
}

const aclose: CloseCall = { method: 'aclose', awaited: true };
const asyncClose: CloseCall = { method: 'close', awaited: true };
const syncClose: CloseCall = { method: 'close', awaited: false };

export const RESOURCES: readonly ResourceKind[] = [
  {
    label: 'httpx.AsyncClient',
    category: 'HTTP client',
    constructors: ['httpx.AsyncClient'],
    closes: [aclose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'httpx.Client',
    category: 'HTTP client',
    constructors: ['httpx.Client'],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'aiohttp.ClientSession',
    category: 'HTTP client',
    constructors: ['aiohttp.ClientSession', 'aiohttp.client.ClientSession'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
    sharedPoolKeyword: 'connector',
  },
  {
    label: 'requests.Session',
    category: 'HTTP client',
    constructors: ['requests.Session', 'requests.session', 'requests.sessions.Session'],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'an async SQLAlchemy engine',
    category: 'database engine',
    constructors: ['sqlalchemy.ext.asyncio.create_async_engine', 'sqlalchemy.ext.asyncio.AsyncEngine', 'sqlmodel.ext.asyncio.create_async_engine'],
    closes: [{ method: 'dispose', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a SQLAlchemy engine',
    category: 'database engine',
    constructors: ['sqlalchemy.create_engine', 'sqlalchemy.engine.create_engine', 'sqlmodel.create_engine'],
    closes: [{ method: 'dispose', awaited: false }],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'an asyncpg pool',
    category: 'connection pool',
    constructors: ['asyncpg.create_pool', 'asyncpg.pool.create_pool'],
    closes: [asyncClose, { method: 'terminate', awaited: false }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an asyncpg connection',
    category: 'database connection',
    constructors: ['asyncpg.connect'],
    closes: [asyncClose, { method: 'terminate', awaited: false }],
    pooled: false,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an aiosqlite connection',
    category: 'database connection',
    constructors: ['aiosqlite.connect'],
    closes: [asyncClose],
    pooled: false,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a psycopg connection pool',
    category: 'connection pool',
    constructors: ['psycopg_pool.AsyncConnectionPool', 'psycopg_pool.ConnectionPool'],
    closes: [asyncClose, syncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an async Redis client',
    category: 'cache client',
    constructors: [
      'redis.asyncio.Redis',
      'redis.asyncio.StrictRedis',
      'redis.asyncio.from_url',
      'redis.asyncio.Redis.from_url',
      'redis.asyncio.client.Redis',
      'redis.asyncio.ConnectionPool',
      'redis.asyncio.ConnectionPool.from_url',
      'aioredis.Redis',
      'aioredis.from_url',
      'aioredis.Redis.from_url',
    ],
    closes: [aclose, asyncClose, { method: 'disconnect', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
    sharedPoolKeyword: 'connection_pool',
  },
  {
    label: 'a Redis client',
    category: 'cache client',
    constructors: ['redis.Redis', 'redis.StrictRedis', 'redis.from_url', 'redis.Redis.from_url', 'redis.client.Redis'],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: false,
    sharedPoolKeyword: 'connection_pool',
  },
  {
    label: 'a Motor client',
    category: 'database connection',
    constructors: ['motor.motor_asyncio.AsyncIOMotorClient', 'motor.AsyncIOMotorClient'],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an async MongoDB client',
    category: 'database connection',
    constructors: ['pymongo.AsyncMongoClient'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a MongoDB client',
    category: 'database connection',
    constructors: ['pymongo.MongoClient', 'pymongo.mongo_client.MongoClient'],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'an Elasticsearch client',
    category: 'SDK client',
    constructors: ['elasticsearch.AsyncElasticsearch'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an aiokafka producer',
    category: 'message broker client',
    constructors: ['aiokafka.AIOKafkaProducer'],
    closes: [{ method: 'stop', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an aiokafka consumer',
    category: 'message broker client',
    constructors: ['aiokafka.AIOKafkaConsumer'],
    closes: [{ method: 'stop', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an aio-pika connection',
    category: 'message broker client',
    constructors: ['aio_pika.connect_robust', 'aio_pika.connect'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a gRPC channel',
    category: 'RPC channel',
    constructors: ['grpc.aio.insecure_channel', 'grpc.aio.secure_channel'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an async SDK client',
    category: 'SDK client',
    constructors: ['openai.AsyncOpenAI', 'openai.AsyncAzureOpenAI', 'anthropic.AsyncAnthropic'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'an SDK client',
    category: 'SDK client',
    constructors: ['openai.OpenAI', 'openai.AzureOpenAI', 'anthropic.Anthropic'],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'a boto3 client',
    category: 'SDK client',
    constructors: ['boto3.client', 'boto3.resource', 'boto3.Session().client', 'boto3.Session().resource', 'boto3.session.Session().client', 'boto3.session.Session().resource'],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'an Azure Storage client',
    category: 'SDK client',
    constructors: [
      'azure.storage.blob.BlobServiceClient',
      'azure.storage.blob.BlobServiceClient.from_connection_string',
      'azure.storage.blob.aio.BlobServiceClient',
      'azure.storage.blob.aio.BlobServiceClient.from_connection_string',
    ],
    closes: [syncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'an aiodocker client',
    category: 'SDK client',
    constructors: ['aiodocker.Docker', 'aiodocker.docker.Docker'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an executor',
    category: 'executor',
    constructors: ['concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.thread.ThreadPoolExecutor'],
    closes: [{ method: 'shutdown', awaited: false }],
    pooled: false,
    leaksAtModuleLevel: false,
  },
  {
    label: 'a file',
    category: 'file',
    constructors: ['builtins.open', 'io.open'],
    closes: [syncClose],
    pooled: false,
    leaksAtModuleLevel: false,
  },
  {
    label: 'an aiofiles file',
    category: 'file',
    constructors: ['aiofiles.open'],
    closes: [asyncClose],
    pooled: false,
    leaksAtModuleLevel: false,
  },

  // ---------------------------------------------------------------- Node
  {
    label: 'a `pg` pool',
    category: 'connection pool',
    constructors: ['pg.Pool', 'pg-pool'],
    closes: [{ method: 'end', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a `pg` client',
    category: 'database connection',
    constructors: ['pg.Client'],
    closes: [{ method: 'end', awaited: true }],
    pooled: false,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a `PrismaClient`',
    category: 'connection pool',
    constructors: ['@prisma/client.PrismaClient'],
    closes: [{ method: '$disconnect', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an ioredis client',
    category: 'cache client',
    constructors: ['ioredis', 'ioredis.Redis', 'ioredis.Cluster', 'ioredis.default'],
    closes: [{ method: 'quit', awaited: true }, { method: 'disconnect', awaited: false }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a `redis` client',
    category: 'cache client',
    constructors: ['redis.createClient', 'redis.createCluster', '@redis/client.createClient'],
    closes: [{ method: 'quit', awaited: true }, { method: 'close', awaited: true }, { method: 'disconnect', awaited: true }, { method: 'destroy', awaited: false }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a `MongoClient`',
    category: 'database connection',
    constructors: ['mongodb.MongoClient', 'mongodb.MongoClient.connect'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a MySQL pool',
    category: 'connection pool',
    constructors: ['mysql2.createPool', 'mysql2/promise.createPool', 'mysql.createPool'],
    closes: [{ method: 'end', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a Knex instance',
    category: 'connection pool',
    constructors: ['knex', 'knex.knex'],
    closes: [{ method: 'destroy', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a Sequelize instance',
    category: 'connection pool',
    constructors: ['sequelize.Sequelize', '@sequelize/core.Sequelize'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an undici dispatcher',
    category: 'HTTP client',
    constructors: ['undici.Pool', 'undici.Agent', 'undici.Client'],
    closes: [asyncClose, { method: 'destroy', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an Elasticsearch client',
    category: 'SDK client',
    constructors: ['@elastic/elasticsearch.Client'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'a TypeORM `DataSource`',
    category: 'connection pool',
    constructors: ['typeorm.DataSource', 'typeorm.createConnection'],
    closes: [{ method: 'destroy', awaited: true }],
    pooled: true,
    leaksAtModuleLevel: true,
  },
  {
    label: 'an AWS SDK client',
    category: 'SDK client',
    constructors: [
      '@aws-sdk/client-s3.S3Client',
      '@aws-sdk/client-sqs.SQSClient',
      '@aws-sdk/client-sns.SNSClient',
      '@aws-sdk/client-ses.SESClient',
      '@aws-sdk/client-sesv2.SESv2Client',
      '@aws-sdk/client-dynamodb.DynamoDBClient',
      '@aws-sdk/client-lambda.LambdaClient',
      '@aws-sdk/client-secrets-manager.SecretsManagerClient',
    ],
    closes: [{ method: 'destroy', awaited: false }],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'a browser',
    category: 'browser',
    constructors: [
      'playwright.chromium.launch',
      'playwright.chromium.connect',
      'playwright.chromium.connectOverCDP',
      'playwright-core.chromium.launch',
      'playwright-core.chromium.connect',
      'playwright-core.chromium.connectOverCDP',
      'puppeteer.launch',
      'puppeteer.connect',
      'puppeteer-core.launch',
      'puppeteer-core.connect',
    ],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: false,
  },
  {
    label: 'a BullMQ queue or worker',
    category: 'message broker client',
    constructors: ['bullmq.Queue', 'bullmq.Worker', 'bullmq.QueueEvents'],
    closes: [asyncClose],
    pooled: true,
    leaksAtModuleLevel: true,
  },
];

const BY_CONSTRUCTOR: ReadonlyMap<string, ResourceKind> = new Map(
  RESOURCES.flatMap((kind) => kind.constructors.map((constructor) => [constructor, kind] as const)),
);

/** The resource a call creates, by its qualified callee. */
export function resourceCreatedBy(callee: string | undefined): ResourceKind | undefined {
  return callee ? BY_CONSTRUCTOR.get(callee) : undefined;
}

/** Methods that release some resource: a call of one of these on an unknown object may be a cleanup. */
export const RELEASE_METHODS: ReadonlySet<string> = new Set(RESOURCES.flatMap((kind) => kind.closes.map((close) => close.method)));
