import type { CatalogEntry } from '../../core/call-pattern';

/**
 * Calls that block the thread they run on while they wait for something outside the process: a
 * timer, the network, a disk, a subprocess, a database, a person at a keyboard. On the event loop
 * they stall every request the worker serves. IL201 reports them in coroutines; IL202 follows sync
 * helpers to them.
 *
 * The list is at least the union of Ruff's and flake8-async's ASYNC210, ASYNC211, ASYNC212,
 * ASYNC220, ASYNC221, ASYNC222, ASYNC230, ASYNC231, ASYNC232, ASYNC240, ASYNC250 and ASYNC251,
 * Sonar's S7487, S7488, S7489, S7493, S7499 and S7501, and blockbuster's default list, plus sync
 * database drivers, cloud SDK clients, mail and FTP clients, sockets and DNS, `shutil` and `os`
 * file operations. Patterns (`src/core/call-pattern.ts`) name qualified callees as the frontend
 * infers them: `requests.Session().get` is `get` called on a `requests.Session()`, however the
 * session reached the call (a module-level instance, a local, an annotated parameter, a `with … as`
 * name, `self.session` set in `__init__`).
 *
 * Deliberately left out, to stay precise: path functions that touch no file system — string work
 * (`os.path.join`, `normpath`, `basename`, `splitext`, the pure-path methods) and those that at
 * most ask the process for its working directory or read the environment (`os.path.abspath`,
 * `relpath`, `expanduser`, `Path.absolute()`, `Path.expanduser()`, `Path.cwd()`, `Path.home()`),
 * although Ruff's ASYNC240 flags several of them; constructors that do no I/O until used
 * (`requests.Session()`, `httpx.Client()`, `boto3.client()`, `pymongo.MongoClient()`, `Path(...)`),
 * in-memory files (`io.BytesIO`, `io.StringIO`) and the readers and archives opened over them,
 * `print` and `logging`, and pure methods (`Path.with_suffix`, `Session.add`).
 */

const HTTP_VERBS = 'get,post,put,patch,delete,head,options,request';
const ASYNC_HTTP = 'use `httpx.AsyncClient` (`await client.get(...)`) or `aiohttp.ClientSession`';

/** Everything that reads, writes or waits on an open file object. */
const FILE_OBJECT_METHODS = 'read,read1,readline,readlines,readinto,readall,write,writelines,flush,truncate';

/** Calls that open a file; their results are file objects, whose methods block too. */
const FILE_OPENERS =
  'builtins.open,io.open,io.open_code,codecs.open,os.fdopen,pathlib.Path().open,gzip.open,bz2.open,lzma.open,tarfile.open,shelve.open,dbm.open,fileinput.input,wave.open';

/** File-object types as annotations name them (flake8-async ASYNC232). */
const FILE_TYPES =
  'typing.IO,typing.TextIO,typing.BinaryIO,io.TextIOWrapper,io.BufferedReader,io.BufferedWriter,io.BufferedRandom,io.FileIO,io.IOBase,io.RawIOBase,io.BufferedIOBase,io.TextIOBase,_io.TextIOWrapper';

const ASYNC_FILES = 'use `aiofiles.open` or `anyio.open_file`, or move the work to a worker thread';

/** For clients with no asynchronous form: the thread is the remedy. */
const IN_A_THREAD = 'move the call to a worker thread';

/** Methods of `pathlib.Path` that ask for a file's metadata. */
const PATH_METADATA_METHODS = [
  'exists,is_file,is_dir,is_symlink,is_mount,is_socket,is_fifo,is_block_device,is_char_device,is_junction',
  'stat,lstat,owner,group,samefile,readlink,resolve',
].join(',');

/** Methods of `pathlib.Path` that read, write or list. */
const PATH_IO_METHODS = [
  'read_text,read_bytes,write_text,write_bytes,iterdir,glob,rglob,walk',
  'mkdir,rmdir,unlink,rename,replace,touch,chmod,lchmod,symlink_to,hardlink_to,link_to,copy,copy_into,move,move_into',
].join(',');

const ASYNC_PATHS = 'use `anyio.Path` (`await anyio.Path(p).exists()`) or `aiofiles.os.path`, or move the work to a worker thread';

const SYNC_SESSIONS =
  'sqlalchemy.orm.Session,sqlalchemy.orm.session.Session,sqlmodel.Session,sqlmodel.orm.session.Session,sqlalchemy.orm.sessionmaker(),sqlalchemy.orm.session.sessionmaker(),sqlalchemy.orm.scoped_session,sqlalchemy.orm.scoped_session()';
const SESSION_IO = 'execute,scalar,scalars,get,get_one,commit,flush,refresh,merge,rollback,connection,exec';
const QUERY_RESULTS = 'all,first,one,one_or_none,scalar,count,get,update,delete';
const SYNC_ENGINES = 'sqlalchemy.create_engine,sqlalchemy.engine.create_engine,sqlalchemy.Engine,sqlalchemy.engine.Engine,sqlalchemy.engine.base.Engine';
const CONNECTION_IO = 'execute,exec_driver_sql,scalar,scalars,commit,rollback';
const ASYNC_SQLALCHEMY =
  'use `sqlalchemy.ext.asyncio.AsyncSession` (`await session.execute(...)`), or make the handler a sync `def`, which FastAPI runs in its threadpool';

const DBAPI_CURSOR_IO = 'execute,executemany,executescript,callproc,fetchone,fetchall,fetchmany,copy_from,copy_to,copy_expert,copy,nextset,scroll';
const DBAPI_CONNECTION_IO = 'execute,executemany,executescript,commit,rollback,ping,backup,query';

const MONGO_IO = [
  'find,find_one,find_one_and_update,find_one_and_delete,find_one_and_replace,insert_one,insert_many',
  'update_one,update_many,replace_one,delete_one,delete_many,bulk_write,aggregate,count_documents',
  'estimated_document_count,distinct,create_index,create_indexes,drop_index,drop,list_collection_names',
  'list_database_names,command,server_info,watch',
].join(',');

const BOTO3_CLIENTS =
  'boto3.client,boto3.session.Session().client,boto3.Session().client,botocore.session.get_session().create_client,botocore.session.Session().create_client';

/** What a Google Cloud data client does over the network (its `collection()`/`table()` builders do not). */
const GOOGLE_DATA_CALLS =
  'get,set,update,delete,stream,add,create,commit,get_all,list_documents,query,get_table,list_rows,insert_rows,insert_rows_json,load_table_from_dataframe,load_table_from_uri,load_table_from_file,load_table_from_json,create_table,delete_table,get_dataset,list_tables,list_datasets,put,put_multi,get_multi,delete_multi,allocate_ids';

/** Generated (GAPIC) Google Cloud clients: every method of theirs is a remote call. */
const GOOGLE_API_CLIENTS = [
  'secretmanager.SecretManagerServiceClient,secretmanager_v1.SecretManagerServiceClient,tasks_v2.CloudTasksClient,tasks.CloudTasksClient',
  'translate_v3.TranslationServiceClient,translate.TranslationServiceClient,translate_v2.Client,speech.SpeechClient,speech_v1.SpeechClient',
  'texttospeech.TextToSpeechClient,vision.ImageAnnotatorClient,kms.KeyManagementServiceClient,kms_v1.KeyManagementServiceClient',
  'language_v1.LanguageServiceClient,documentai.DocumentProcessorServiceClient,dlp_v2.DlpServiceClient,logging.Client',
].join(',');

/** The Stripe resource methods that send a request (`stripe.Customer.retrieve`, `stripe.checkout.Session.create`). */
const STRIPE_CALLS = 'create,retrieve,modify,delete,list,search,cancel,capture,confirm,pay,void_invoice,finalize_invoice,send_invoice,mark_uncollectible,upcoming,create_preview,expire,refund,reject,attach,detach,verify,close,list_line_items,create_usage_record,retrieve_usage_record_summaries';

/** Model-API calls of the OpenAI and Anthropic clients (`client.chat.completions.create`, `client.images.generate`). */
const MODEL_API_CALLS = 'create,generate,parse,stream,edit,create_variation,retrieve,list,delete,upload,content,create_and_poll,upload_and_poll,transcribe,translate';

export const BLOCKING_CALLS: readonly CatalogEntry[] = [
  // ---------------------------------------------------------------- sleeping
  {
    calls: ['time.sleep'],
    // A literal pause under 10 ms (`time.sleep(0.001)`, a deliberate yield) stalls nothing anyone waits on.
    unlessLiteral: [{ position: 0, below: 0.01 }],
    does: 'sleeps the whole worker thread',
    suggestion: 'use `await asyncio.sleep(...)`, which lets other requests run meanwhile',
    awaitableEquivalent: { module: 'asyncio', name: 'sleep' },
    origin: ['ruff ASYNC251', 'flake8-async ASYNC251', 'sonar S7488', 'blockbuster'],
  },

  // ---------------------------------------------------------------- HTTP clients
  {
    calls: [`requests.{${HTTP_VERBS}}`, `requests.api.{${HTTP_VERBS}}`],
    does: 'makes a blocking HTTP request',
    suggestion: ASYNC_HTTP,
    origin: ['ruff ASYNC210', 'flake8-async ASYNC210', 'sonar S7499'],
  },
  {
    calls: [`requests.{Session,session,sessions.Session}().{${HTTP_VERBS},send}`],
    does: 'makes a blocking HTTP request through a `requests.Session`',
    suggestion: ASYNC_HTTP,
    origin: ['sonar S7499'],
  },
  {
    calls: [`httpx.{${HTTP_VERBS},stream}`],
    does: 'makes a blocking HTTP request',
    suggestion: 'use `httpx.AsyncClient` (`await client.get(...)`)',
    origin: ['ruff ASYNC210', 'flake8-async ASYNC210', 'sonar S7499'],
  },
  {
    calls: [`httpx.{Client,_client.Client}().{${HTTP_VERBS},send,stream,close}`],
    does: 'makes a blocking HTTP request through a sync `httpx.Client`',
    suggestion: 'use `httpx.AsyncClient` (`await client.get(...)`)',
    origin: ['ruff ASYNC212', 'flake8-async ASYNC212', 'sonar S7499'],
  },
  {
    calls: [
      'urllib.request.{urlopen,urlretrieve}',
      'urllib.request.{build_opener,OpenerDirector}().open',
      'urllib3.request',
      'urllib3.{PoolManager,ProxyManager,HTTPConnectionPool,HTTPSConnectionPool,connection_from_url,proxy_from_url,poolmanager.PoolManager}().{request,urlopen,request_encode_url,request_encode_body}',
      'http.client.{HTTPConnection,HTTPSConnection}().{request,getresponse,connect,endheaders,send}',
      'httplib2.Http().request',
      'pycurl.Curl().perform',
    ],
    does: 'makes a blocking HTTP request',
    suggestion: ASYNC_HTTP,
    origin: ['ruff ASYNC210', 'flake8-async ASYNC210', 'flake8-async ASYNC211', 'sonar S7499', 'blockbuster'],
  },
  {
    calls: ['websocket.create_connection', 'websocket.{WebSocket,create_connection}().{connect,send,recv,recv_data,ping,close}'],
    does: 'talks to a WebSocket with a blocking client',
    suggestion: 'use the `websockets` package (`async with websockets.connect(...)`)',
  },
  {
    calls: ['xmlrpc.client.ServerProxy().*'],
    does: 'makes a blocking XML-RPC call',
    suggestion: IN_A_THREAD,
  },

  // ---------------------------------------------------------------- subprocesses
  {
    calls: [
      'subprocess.{run,call,check_call,check_output,getoutput,getstatusoutput,Popen}',
      'subprocess.Popen().{wait,communicate}',
      'os.{system,popen,posix_spawn,posix_spawnp}',
      'os.spawn*',
    ],
    does: 'runs a subprocess with a blocking API',
    suggestion: 'use `await asyncio.create_subprocess_exec(...)` (or `anyio.run_process`)',
    origin: ['ruff ASYNC220', 'ruff ASYNC221', 'flake8-async ASYNC220', 'flake8-async ASYNC221', 'sonar S7487'],
  },
  {
    calls: ['os.{wait,wait3,wait4,waitid,waitpid}'],
    does: 'waits for a child process',
    suggestion: 'start it with `asyncio.create_subprocess_exec` and `await process.wait()`',
    origin: ['ruff ASYNC222', 'flake8-async ASYNC222', 'sonar S7489'],
  },

  // ---------------------------------------------------------------- files
  {
    calls: [`{${FILE_OPENERS}}`, 'tempfile.{TemporaryFile,NamedTemporaryFile,SpooledTemporaryFile,TemporaryDirectory,mkstemp,mkdtemp}', 'zipfile.ZipFile'],
    does: 'opens a file with blocking I/O',
    suggestion: ASYNC_FILES,
    opensFile: true,
    inMemoryHarmless: true,
    origin: ['ruff ASYNC230', 'flake8-async ASYNC230', 'flake8-async ASYNC231', 'sonar S7493', 'blockbuster'],
  },
  {
    calls: [
      `{${FILE_OPENERS}}().{${FILE_OBJECT_METHODS}}`,
      `{${FILE_TYPES}}().{${FILE_OBJECT_METHODS}}`,
      'zipfile.ZipFile().{read,writestr,open,testzip}',
      '{tarfile.open,tarfile.TarFile}().{extractfile,addfile}',
      'sys.stdin.{read,readline,readlines}',
    ],
    does: 'reads or writes a file with blocking I/O',
    suggestion: ASYNC_FILES,
    inMemoryHarmless: true,
    origin: ['flake8-async ASYNC232', 'sonar S7493', 'blockbuster'],
  },
  {
    // Wherever the archive itself is, these read or write the files it holds on disk.
    calls: ['zipfile.ZipFile().{extract,extractall,write}', '{tarfile.open,tarfile.TarFile}().{extract,extractall,add}'],
    does: 'extracts or adds files on disk with blocking I/O',
    suggestion: 'move the work to a worker thread',
    origin: ['blockbuster'],
  },
  {
    calls: ['{fastapi.UploadFile,fastapi.datastructures.UploadFile,starlette.datastructures.UploadFile}().file.{read,readline,readlines,write,seek}'],
    does: "reads the upload's spooled file with blocking I/O",
    suggestion: 'use `await upload.read()` / `await upload.write(...)`',
  },
  {
    calls: ['{json,pickle,marshal,tomllib,plistlib}.{load,dump}'],
    does: 'reads or writes a file object with blocking I/O',
    usesOpenFile: true,
    inMemoryHarmless: true,
    suggestion: 'read the bytes asynchronously (`aiofiles`) and parse them with `json.loads`, or move the work to a worker thread',
    origin: ['blockbuster'],
  },
  {
    calls: [
      'pandas.{read_csv,read_excel,read_parquet,read_feather,read_pickle,read_table,read_sql,read_sql_query,read_sql_table,read_hdf,read_orc}',
      'numpy.{load,save,savez,savez_compressed,loadtxt,savetxt,genfromtxt,fromfile}',
      'joblib.{load,dump}',
      'torch.{load,save}',
    ],
    does: 'reads or writes a data file with blocking I/O',
    inMemoryHarmless: true,
    suggestion: 'load it once at startup, or move the work to a worker thread',
  },

  // ---------------------------------------------------------------- file system
  {
    calls: [
      'os.path.{exists,lexists,isfile,isdir,islink,ismount,isjunction,isdevdrive,getsize,getmtime,getatime,getctime,samefile,sameopenfile,realpath}',
      `pathlib.{Path,PosixPath,WindowsPath}().{${PATH_METADATA_METHODS}}`,
      'os.{stat,lstat,access,readlink}',
    ],
    does: "asks the file system for a file's metadata with a blocking call",
    suggestion: ASYNC_PATHS,
    quick: true,
    origin: ['ruff ASYNC240', 'flake8-async ASYNC240', 'blockbuster'],
  },
  {
    calls: [`pathlib.{Path,PosixPath,WindowsPath}().{${PATH_IO_METHODS}}`],
    does: 'touches the file system with a blocking `pathlib` call',
    suggestion: 'use `anyio.Path` (`await anyio.Path(p).read_text()`), or move the work to a worker thread',
    origin: ['ruff ASYNC240', 'flake8-async ASYNC240', 'blockbuster'],
  },
  {
    calls: [
      'os.{remove,unlink,rename,renames,replace,mkdir,makedirs,rmdir,removedirs,listdir,scandir,walk,fwalk,statvfs}',
      'os.{chmod,lchmod,chown,lchown,chflags,link,symlink,truncate,utime,mkfifo,mknod}',
      'os.{open,read,write,pread,pwrite,readv,writev,fsync,fdatasync,sendfile,copy_file_range}',
      'shutil.{copy,copy2,copyfile,copyfileobj,copytree,copymode,copystat,move,rmtree,make_archive,unpack_archive,disk_usage,chown}',
      'glob.{glob,iglob}',
      'filecmp.{cmp,cmpfiles}',
    ],
    does: 'does blocking file-system I/O',
    suggestion: 'use `aiofiles.os` (`await aiofiles.os.remove(...)`), or move the work to a worker thread',
    origin: ['blockbuster'],
  },

  // ---------------------------------------------------------------- console
  {
    calls: ['builtins.input', 'getpass.getpass'],
    does: 'waits for someone to type at the console',
    suggestion: 'take the value from the request or from configuration read at startup',
    origin: ['ruff ASYNC250', 'flake8-async ASYNC250', 'sonar S7501'],
  },

  // ---------------------------------------------------------------- sockets, DNS, mail, FTP, SSH
  {
    calls: ['socket.{getaddrinfo,gethostbyname,gethostbyname_ex,gethostbyaddr,getnameinfo,getfqdn}', 'dns.resolver.{resolve,query,resolve_address}', 'dns.resolver.Resolver().{resolve,query}'],
    does: 'resolves a host name with a blocking lookup',
    suggestion: 'use `await loop.getaddrinfo(...)` (`asyncio.get_running_loop()`) or `dns.asyncresolver`',
    origin: ['blockbuster'],
  },
  {
    calls: [
      'socket.create_connection',
      'socket.{socket,create_connection,socket.socket}().{connect,connect_ex,accept,recv,recv_into,recvfrom,recvfrom_into,recvmsg,send,sendall,sendto,sendmsg,sendfile}',
      'ssl.{SSLContext,create_default_context}().wrap_socket',
      'ssl.SSLSocket().{connect,accept,recv,recv_into,send,sendall,do_handshake,read,write}',
    ],
    does: 'does blocking socket I/O',
    suggestion: 'use `await asyncio.open_connection(...)` (streams) or `loop.sock_recv`/`loop.sock_sendall`',
    origin: ['blockbuster'],
  },
  {
    calls: [
      'smtplib.{SMTP,SMTP_SSL,LMTP}',
      'smtplib.{SMTP,SMTP_SSL,LMTP}().{connect,login,starttls,ehlo,helo,ehlo_or_helo_if_needed,sendmail,send_message,quit,noop,verify,rset,docmd,auth}',
      'imaplib.{IMAP4,IMAP4_SSL}',
      'imaplib.{IMAP4,IMAP4_SSL}().{login,select,search,fetch,store,append,logout,uid}',
      'poplib.{POP3,POP3_SSL}',
      'poplib.{POP3,POP3_SSL}().{user,pass_,stat,list,retr,dele,quit}',
    ],
    does: 'talks to a mail server with a blocking client',
    suggestion: 'use `aiosmtplib` (or `aioimaplib`), or send from a background task or a worker queue',
  },
  {
    calls: [
      'ftplib.{FTP,FTP_TLS}',
      'ftplib.{FTP,FTP_TLS}().{connect,login,cwd,nlst,dir,mlsd,retrbinary,retrlines,storbinary,storlines,delete,rename,mkd,rmd,size,sendcmd,voidcmd,quit,transfercmd}',
      'telnetlib.Telnet',
      'telnetlib.Telnet().{open,read_until,read_all,read_some,write,expect}',
    ],
    does: 'talks to a server with a blocking client',
    suggestion: 'use `aioftp`, or move the work to a worker thread',
  },
  {
    calls: [
      'paramiko.SSHClient().{connect,exec_command,open_sftp}',
      'paramiko.{SFTPClient,SFTPClient.from_transport}().{get,put,open,listdir,listdir_attr,stat,remove,rename,mkdir,rmdir,getfo,putfo}',
    ],
    does: 'talks to an SSH server with a blocking client',
    suggestion: 'use `asyncssh`, or move the work to a worker thread',
  },

  {
    calls: ['pyln.client.{LightningRpc,UnixDomainSocketRpc}().*'],
    does: "calls Core Lightning's RPC over its Unix socket with a blocking client",
    suggestion: 'move the call to a worker thread (`pyln-client` has no asynchronous form)',
  },

  {
    calls: ['celery.Celery().control.inspect().*', 'celery.Celery().control.{ping,broadcast}'],
    does: "asks Celery's workers over the broker and waits for their replies (a second by default)",
    suggestion: 'run it in a worker thread (`await asyncio.to_thread(...)`) or cache the answer: Celery has no asynchronous control API',
  },

  {
    // The methods that reach the node, an LSP or Breez's servers; `node_info`, `payment_by_hash`,
    // `list_payments` and `disconnect` answer from the SDK's local store or only signal, and wait for nothing.
    calls: [
      'breez_sdk.connect().{send_payment,send_spontaneous_payment,receive_payment,pay_lnurl,withdraw_lnurl,lnurl_auth,sync,report_issue}',
      'breez_sdk.connect().{redeem_onchain_funds,receive_onchain,pay_onchain,refund,buy_bitcoin,fetch_fiat_rates,list_lsps,connect_lsp,fetch_lsp_info,recommended_fees,register_webhook}',
    ],
    does: "calls the Breez SDK's node through its blocking services (`BlockingBreezServices`), which waits for the node and, for a payment, until it settles",
    suggestion: 'move the call to a worker thread (`await asyncio.to_thread(sdk.send_payment, request)`): the Python bindings have no asynchronous form',
  },

  // ---------------------------------------------------------------- databases
  {
    calls: [
      `{${SYNC_SESSIONS}}().{${SESSION_IO}}`,
      `{${SYNC_SESSIONS}}().query()**.{${QUERY_RESULTS}}`,
      `{${SYNC_ENGINES}}().{connect,begin,raw_connection,execute}`,
      `{${SYNC_ENGINES}}().{connect,begin}().{${CONNECTION_IO}}`,
      `sqlalchemy.{Connection,engine.Connection,engine.base.Connection}().{${CONNECTION_IO}}`,
      'sqlalchemy.{MetaData,schema.MetaData}().{create_all,drop_all,reflect}',
      'sqlmodel.SQLModel.metadata.{create_all,drop_all}',
      'sqlalchemy.inspect().{get_schema_names,get_table_names,get_view_names,get_columns,get_pk_constraint,get_foreign_keys,get_indexes,get_unique_constraints,get_check_constraints,get_sequence_names,has_table,has_schema,has_index,get_multi_columns}',
    ],
    does: 'queries the database through sync SQLAlchemy',
    suggestion: ASYNC_SQLALCHEMY,
  },
  {
    calls: [
      'sqlite3.connect',
      `{sqlite3.connect,sqlite3.Connection}().{${DBAPI_CONNECTION_IO}}`,
      `{sqlite3.connect().cursor,sqlite3.Connection().cursor,sqlite3.Cursor}().{${DBAPI_CURSOR_IO}}`,
    ],
    does: 'queries SQLite with the blocking `sqlite3` driver',
    suggestion: 'use `aiosqlite` (`async with aiosqlite.connect(...)`)',
    origin: ['blockbuster'],
  },
  {
    calls: [
      'psycopg2.{connect,pool.SimpleConnectionPool().getconn,pool.ThreadedConnectionPool().getconn}',
      `{psycopg2.connect,psycopg2.extensions.connection}().{${DBAPI_CONNECTION_IO}}`,
      `{psycopg2.connect().cursor,psycopg2.extensions.connection().cursor,psycopg2.extensions.cursor}().{${DBAPI_CURSOR_IO}}`,
      'psycopg2.extras.{execute_values,execute_batch}',
      'psycopg.{connect,Connection.connect}',
      `{psycopg.connect,psycopg.Connection.connect,psycopg.Connection}().{${DBAPI_CONNECTION_IO}}`,
      `{psycopg.connect,psycopg.Connection.connect,psycopg.Connection}().cursor().{${DBAPI_CURSOR_IO}}`,
      'psycopg_pool.ConnectionPool().{connection,getconn,open,wait}',
      `psycopg_pool.ConnectionPool().connection().{${DBAPI_CONNECTION_IO}}`,
    ],
    does: 'queries PostgreSQL with a blocking driver',
    suggestion: 'use `asyncpg`, or psycopg 3\'s `AsyncConnection` / `psycopg_pool.AsyncConnectionPool`',
  },
  {
    calls: [
      '{pymysql,MySQLdb,mysql.connector}.{connect,Connect}',
      'pymysql.connections.Connection',
      `{pymysql.connect,pymysql.Connect,pymysql.connections.Connection,MySQLdb.connect,MySQLdb.Connect,mysql.connector.connect}().{${DBAPI_CONNECTION_IO}}`,
      `{pymysql.connect,pymysql.Connect,pymysql.connections.Connection,MySQLdb.connect,MySQLdb.Connect,mysql.connector.connect}().cursor().{${DBAPI_CURSOR_IO}}`,
    ],
    does: 'queries MySQL with a blocking driver',
    suggestion: 'use `aiomysql` or `asyncmy`',
  },
  {
    calls: [`{pymongo.MongoClient,pymongo.mongo_client.MongoClient,pymongo.database.Database,pymongo.collection.Collection}()**.{${MONGO_IO}}`],
    does: 'queries MongoDB with the blocking `pymongo` client',
    suggestion: "use `motor` or pymongo's `AsyncMongoClient` (`await collection.find_one(...)`)",
  },
  {
    calls: [
      '{redis.Redis,redis.StrictRedis,redis.client.Redis,redis.client.StrictRedis,redis.RedisCluster,redis.cluster.RedisCluster,redis.from_url,redis.Redis.from_url,redis.StrictRedis.from_url}().*',
      '{redis.Redis,redis.StrictRedis,redis.client.Redis,redis.from_url,redis.Redis.from_url}().pipeline().execute',
      '{redis.Redis,redis.StrictRedis,redis.client.Redis,redis.from_url,redis.Redis.from_url}().pubsub().{get_message,listen,subscribe,psubscribe,unsubscribe}',
    ],
    except: ['redis.**().{pipeline,pubsub,lock,register_script,get_encoder,get_connection_kwargs,set_response_callback,set_retry,get_retry}'],
    does: 'talks to Redis with the blocking client',
    suggestion: 'use `redis.asyncio.Redis` (`await redis.get(...)`)',
  },
  {
    calls: ['elasticsearch.Elasticsearch()**.{search,index,get,delete,update,bulk,count,exists,mget,msearch,create,scroll,delete_by_query,update_by_query,refresh,put_mapping}'],
    does: 'queries Elasticsearch with the blocking client',
    suggestion: 'use `elasticsearch.AsyncElasticsearch`',
  },

  // ---------------------------------------------------------------- queues and messaging
  {
    calls: [
      'pika.BlockingConnection',
      'pika.BlockingConnection()**.{channel,basic_publish,basic_get,basic_consume,start_consuming,queue_declare,exchange_declare,queue_bind,close,process_data_events}',
      'kafka.KafkaProducer().{flush,send().get}',
      'kafka.KafkaConsumer().{poll,commit}',
      'confluent_kafka.{Producer,Consumer}().{flush,poll,consume,commit}',
    ],
    does: 'talks to a message broker with a blocking client',
    suggestion: 'use `aio-pika` or `aiokafka`',
  },

  // ---------------------------------------------------------------- cloud SDKs
  {
    calls: [
      `{${BOTO3_CLIENTS}}().*`,
      `{${BOTO3_CLIENTS}}().{get_paginator().paginate,get_waiter().wait}`,
    ],
    except: ['{boto3,botocore}.**().{generate_presigned_url,generate_presigned_post,get_paginator,get_waiter,can_paginate,close,meta,exceptions}'],
    does: 'calls AWS with the blocking `boto3` client',
    suggestion: 'use `aioboto3` / `aiobotocore` (`async with session.client("s3") as s3: await s3.get_object(...)`), or move the call to a worker thread',
  },
  {
    calls: [
      'boto3.{resource,session.Session().resource,Session().resource}()**.{load,reload,get,put,delete,upload_file,download_file,upload_fileobj,download_fileobj,copy,copy_from,put_item,get_item,update_item,delete_item,query,scan,batch_get_item,all,filter,create,wait_until_exists}',
    ],
    does: 'calls AWS with a blocking `boto3` resource',
    suggestion: "use `aioboto3`'s resources, or move the call to a worker thread",
  },
  {
    calls: [
      'google.cloud.storage.Client()**.{upload_from_string,upload_from_filename,upload_from_file,download_as_bytes,download_as_text,download_as_string,download_to_filename,download_to_file,exists,delete,reload,list_blobs,get_bucket,create_bucket,make_public,generate_signed_url}',
      'azure.storage.blob.{BlobServiceClient,BlobClient,ContainerClient,BlobServiceClient.from_connection_string,BlobClient.from_connection_string,ContainerClient.from_connection_string}()**.{upload_blob,download_blob,delete_blob,list_blobs,create_container,delete_container,get_blob_properties,readall,exists,set_blob_metadata}',
      'azure.storage.filedatalake.{DataLakeServiceClient,FileSystemClient,DataLakeDirectoryClient,DataLakeFileClient,DataLakeServiceClient.from_connection_string}()**.{upload_data,append_data,flush_data,download_file,readall,create_file,delete_file,create_directory,delete_directory,get_file_properties,get_paths,exists,rename_file}',
    ],
    except: ['google.cloud.storage.Client()**.generate_signed_url'],
    does: 'calls a cloud storage service with a blocking client',
    suggestion: "use the SDK's async client (`gcloud-aio-storage`, `azure.storage.blob.aio`, `azure.storage.filedatalake.aio`), or move the call to a worker thread",
  },
  {
    calls: [
      `google.cloud.{bigquery,firestore,firestore_v1,datastore}.Client()**.{${GOOGLE_DATA_CALLS}}`,
      'google.cloud.bigquery.Client().query().{result,to_dataframe,to_arrow}',
      'google.cloud.pubsub_v1.PublisherClient().publish().result',
      'google.cloud.pubsub_v1.SubscriberClient().{pull,acknowledge,modify_ack_deadline}',
      `google.cloud.{${GOOGLE_API_CLIENTS}}().*`,
    ],
    except: ['google.cloud.**().{*_path,parse_*_path,from_service_account_file,from_service_account_info,from_service_account_json,transport,api_endpoint,close,collection,document,batch,transaction,bucket,blob,dataset,table}'],
    does: 'calls a Google Cloud API with a blocking client',
    suggestion: "use the library's `…AsyncClient` (`SecretManagerServiceAsyncClient`, `firestore.AsyncClient`) or `gcloud-aio-*`, or move the call to a worker thread",
  },
  {
    calls: ['google.oauth2.id_token.{verify_oauth2_token,verify_token,verify_firebase_token,fetch_id_token}', 'google.auth.transport.requests.AuthorizedSession().{get,post,put,patch,delete,request}'],
    does: "fetches Google's certificates or tokens over HTTP with the blocking `requests` transport",
    suggestion: 'verify the token with a JWKS client that caches the keys and fetches them asynchronously (`authlib`, `PyJWT` with keys refreshed by a background task), or move the call to a worker thread',
  },

  // ---------------------------------------------------------------- HTTP API SDKs built on sync clients
  {
    // `auto_paging_iter()` itself fetches nothing; iterated with `async for` it pages asynchronously.
    calls: [`stripe.**.{${STRIPE_CALLS}}`, `stripe.StripeClient()**.{${STRIPE_CALLS},update}`],
    except: ['stripe.{Webhook,WebhookSignature,util,oauth_error}.**', 'stripe.**.construct_from'],
    does: 'calls the Stripe API with the blocking client',
    suggestion: "use stripe's async methods (`await stripe.Customer.retrieve_async(...)`, `await client.customers.retrieve_async(...)`), or move the call to a worker thread",
  },
  {
    calls: [`{openai,openai.OpenAI(),openai.AzureOpenAI(),openai.Client()}**.{${MODEL_API_CALLS}}`],
    except: ['{openai.AsyncOpenAI,openai.AsyncAzureOpenAI,openai.AsyncClient}**', 'openai.**.{acreate,with_raw_response,with_streaming_response}'],
    does: 'calls the OpenAI API with the blocking client',
    suggestion: 'use `openai.AsyncOpenAI` (`await client.chat.completions.create(...)`)',
  },
  {
    calls: [`{anthropic.Anthropic,anthropic.AnthropicBedrock,anthropic.AnthropicVertex,anthropic.Client}()**.{${MODEL_API_CALLS},count_tokens}`],
    does: 'calls the Anthropic API with the blocking client',
    suggestion: 'use `anthropic.AsyncAnthropic` (`await client.messages.create(...)`)',
  },
  {
    calls: ['{slack_sdk.WebClient,slack_sdk.web.WebClient,slack_sdk.web.client.WebClient,slack.WebClient}().*', '{slack_sdk.webhook.WebhookClient,slack_sdk.WebhookClient}().send'],
    does: 'calls the Slack API with the blocking `WebClient`',
    suggestion: 'use `slack_sdk.web.async_client.AsyncWebClient` (or `AsyncWebhookClient`)',
  },
  {
    calls: ['twilio.rest.Client()**.{create,fetch,update,delete,list,stream,page}'],
    does: 'calls the Twilio API with the blocking client',
    suggestion: "use twilio's async API (`Client(..., http_client=AsyncTwilioHttpClient())` and `await client.messages.create_async(...)`)",
  },
  {
    calls: ['{sendgrid.SendGridAPIClient,sendgrid.sendgrid.SendGridAPIClient}().send', '{sendgrid.SendGridAPIClient,sendgrid.sendgrid.SendGridAPIClient}().client**.{get,post,put,patch,delete}'],
    does: 'calls the SendGrid API with the blocking client',
    suggestion: "post to SendGrid's v3 API with `httpx.AsyncClient`, send from a background worker, or move the call to a worker thread",
  },
  {
    calls: ['resend.*.{send,create,get,list,update,remove,cancel,verify}'],
    does: 'calls the Resend API with the blocking `requests`-based client',
    suggestion: "call Resend's HTTP API with `httpx.AsyncClient`, send from a background worker, or move the call to a worker thread",
  },
  {
    calls: [
      'pywebpush.webpush',
      'pywebpush.WebPusher().send',
      '{requests_oauthlib.OAuth2Session,requests_oauthlib.OAuth1Session,authlib.integrations.requests_client.OAuth2Session}().{get,post,put,patch,delete,request,fetch_token,refresh_token,fetch_access_token,fetch_request_token}',
      'github.Github()**.{get_*,search_*,create_*,edit,delete,update,merge}',
      'notion_client.Client()**.{query,create,retrieve,update,list,search,append,delete}',
      '{mailchimp_marketing.Client,mailchimp_transactional.Client}()**.*',
      'hvac.Client()**.{read,write,list,delete,read_secret_version,create_or_update_secret,login,is_authenticated}',
      'kubernetes.client.*Api()**.*',
      'firebase_admin.messaging.{send,send_all,send_each,send_multicast,send_each_for_multicast,subscribe_to_topic,unsubscribe_from_topic}',
      'firebase_admin.auth.{get_user,get_user_by_email,create_user,update_user,delete_user,list_users,set_custom_user_claims,create_custom_token,generate_password_reset_link,generate_email_verification_link}',
      'cloudinary.uploader.{upload,destroy,explicit,rename}',
    ],
    except: ['kubernetes.client.**().{api_client,close}', '{mailchimp_marketing,mailchimp_transactional}.**.set_config'],
    does: 'calls a web API through an SDK built on a blocking HTTP client',
    suggestion: "use the SDK's async client where it has one (`kubernetes_asyncio`, `notion_client.AsyncClient`), call the API with `httpx.AsyncClient`, or move the call to a worker thread",
  },
];
