/**
 * What deployment files say about how the app runs: the server command lines and the settings
 * that bear on processes, with where each is written. The workspace reads the files
 * (`workspace/deployment-parsers.ts`); rules read only these facts.
 */
import type { Comment, Language, Range } from './facts';

/** A process count as a deployment states it. */
export interface WorkerCount {
  /** The count, or its lower bound on a two-CPU machine when it is computed (at least 2 then). */
  count: number;
  /** How the file states it when it is not a plain number: `2 × CPUs + 1 workers`, `$WEB_CONCURRENCY (default 4) workers`. */
  description?: string;
}

/** Where in a file something is written: 0-based lines, and the text as written, trimmed. */
export interface Located {
  line: number;
  endLine: number;
  text: string;
  /** The compose service, Kubernetes workload or Makefile target it belongs to: replicas multiply only their own workers. */
  group?: string;
  /** The part of the file it is in is for development: a Makefile `dev` target, a compose service that bind-mounts the source, a Dockerfile `dev` stage. */
  development?: boolean;
}

/** The servers and launchers whose command lines run a Python web app; `fastapi` is the FastAPI CLI (`fastapi run`, `fastapi dev`). */
export type ServerName = 'gunicorn' | 'uvicorn' | 'hypercorn' | 'fastapi';

/** A `gunicorn`/`uvicorn`/`hypercorn`/`fastapi run` invocation. */
export interface ServerCommand extends Located {
  server: ServerName;
  /** The arguments after the server name. */
  args: string[];
  workers?: WorkerCount;
  /** gunicorn's `-k`/`--worker-class`. */
  workerClass?: string;
  reload: boolean;
  /** gunicorn's `--preload`: the app is imported in the master process and the workers are forked from it. */
  preload?: boolean;
  /** gunicorn's `-c`/`--config` file. */
  config?: string;
  /** The application it serves, as written: `app.main:app`, `app.main:create_app()`. */
  application?: string;
}

/** A setting that bears on processes: `workers = 4`, `WEB_CONCURRENCY=4`, `replicas: 3`, `GUNICORN_CMD_ARGS=…`. */
export interface DeploymentSetting extends Located {
  name: 'workers' | 'worker_class' | 'reload' | 'preload_app' | 'wsgi_app' | 'WEB_CONCURRENCY' | 'GUNICORN_CMD_ARGS' | 'replicas';
  value: string;
  /** For `workers`, `WEB_CONCURRENCY` and `replicas`: the count it sets, when it can be read. */
  processes?: WorkerCount;
  /**
   * Whose processes `processes` counts, when only one language's: PM2 and `cluster` run Node,
   * gunicorn's and uvicorn's settings Python. Unset for replicas and `WEB_CONCURRENCY`.
   */
  language?: Language;
}

export interface DeploymentFileFacts {
  commands: ServerCommand[];
  settings: DeploymentSetting[];
}

export type DeploymentFileKind = 'dockerfile' | 'compose' | 'procfile' | 'shell' | 'makefile' | 'gunicorn-config' | 'python-launcher' | 'kubernetes';

/** One deployment file as read: its path, what it says, and whether it is for development only. */
export interface DeploymentFileReading {
  path: string;
  facts: DeploymentFileFacts;
  /** `docker-compose.override.yml`, `Dockerfile.dev`, `scripts/dev.sh`: not how production runs. */
  development: boolean;
}

/** A deployment file as the engine checks it: what it says, with its text and comments for suppressions and fixes. */
export interface DeploymentFile extends DeploymentFileReading {
  kind: DeploymentFileKind;
  source: string;
  comments: Comment[];
}

/**
 * A production deployment that has gunicorn import the application once, in its master process,
 * and fork the workers from it (`--preload`, `preload_app = True`): whatever the app opens while
 * it is imported, every worker inherits.
 */
export interface PreloadSetting {
  /** Where the deployment sets it. */
  source: { path: string; range: Range; text: string };
  /** As the deployment writes it, for messages: `--preload`, `preload_app = True`. */
  setting: string;
  /** What the preloading gunicorn serves, as written (`app.main:app`); empty when no command or config says. */
  applications: string[];
}
