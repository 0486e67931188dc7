import type { CallEntry } from '../../core/call-pattern';

/**
 * Node library calls that return a promise: dropped as a statement, their failure is an unhandled
 * rejection (which ends a Node process since Node 15) and nothing waits for their work; a dropped
 * Prisma query does not even run, since Prisma's promises are lazy. IL403 reports them without a
 * type checker; with one, any call whose type is a thenable counts. Calls that take a callback
 * instead (`fs.readFile(path, cb)`) are named elsewhere (`fs.readFile`, not `fs/promises.readFile`).
 */
export const NODE_PROMISE_CALLS: readonly CallEntry[] = [
  { calls: ['{fs/promises,fs.promises,timers/promises,stream/promises,dns/promises}.*'] },
  { calls: ['fetch', 'node-fetch', 'got', 'got.{get,post,put,patch,delete,head}', 'axios', 'axios.{get,post,put,patch,delete,head,options,request}', 'axios.create().{get,post,put,patch,delete,head,options,request}'] },
  { calls: ['{pg.Pool,pg.Client,pg-pool}().{query,connect,end}', '{mysql2/promise.createPool,mysql2/promise.createConnection}().{query,execute,getConnection,end}'] },
  {
    calls: ['@prisma/client.PrismaClient()**.{create,createMany,update,updateMany,upsert,delete,deleteMany,findUnique,findUniqueOrThrow,findFirst,findFirstOrThrow,findMany,count,aggregate,groupBy,$executeRaw,$executeRawUnsafe,$queryRaw,$queryRawUnsafe,$transaction,$connect,$disconnect}'],
  },
  {
    calls: ['{ioredis,ioredis.Redis,ioredis.default,redis.createClient}().*'],
    except: [
      '{ioredis,ioredis.Redis,ioredis.default,redis.createClient}().{on,once,off,duplicate,multi,pipeline,addListener,prependListener,removeListener,removeAllListeners,setMaxListeners,emit}',
      // ioredis closes at once and returns nothing; node-redis's `disconnect()` returns a promise.
      '{ioredis,ioredis.Redis,ioredis.default}().{disconnect,defineCommand}',
    ],
  },
  {
    calls: [
      'mongodb.MongoClient()**.{insertOne,insertMany,updateOne,updateMany,deleteOne,deleteMany,findOne,findOneAndUpdate,replaceOne,countDocuments,bulkWrite,createIndex,toArray,connect,close}',
    ],
  },
  {
    calls: [
      '{typeorm.Repository,typeorm.EntityManager,typeorm.DataSource().manager}().{save,remove,insert,update,upsert,delete,softDelete,restore,find,findBy,findOne,findOneBy,findOneOrFail,findAndCount,count,exists,increment,decrement,query,transaction}',
      'typeorm.DataSource().{query,transaction,initialize,destroy}',
    ],
  },
  { calls: ['nodemailer.createTransport().sendMail', '{bcrypt,bcryptjs}.{hash,compare}', 'argon2.{hash,verify}', 'sharp()**.{toBuffer,toFile}'] },
];

/**
 * Calls that run an async callback and drop the promise it returns, by qualified callee: a
 * rejection inside is unhandled, and nothing waits for the work. Listener registrations
 * (`emitter.on`, `socket.on`) and `forEach` are matched by method name, whatever the receiver.
 */
export const PROMISE_DROPPING_CALLEES: ReadonlySet<string> = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'process.nextTick',
  'process.on',
  'process.once',
  'Promise',
  'timers.setTimeout',
  'timers.setInterval',
  'timers.setImmediate',
]);

export const PROMISE_DROPPING_METHODS: ReadonlySet<string> = new Set(['on', 'once', 'addListener', 'prependListener', 'addEventListener', 'forEach']);
