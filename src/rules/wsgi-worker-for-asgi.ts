import type { DeploymentFile, DeploymentFileReading, DeploymentSetting, ServerCommand } from '../core/deployment-facts';
import type { Fix } from '../core/hazard';
import type { DeploymentRuleContext, ProjectFacts, Rule } from '../core/rule';
import { ASGI_WORKER_CLASS, DEFAULT_WORKER_CLASS, workerProtocol } from './catalog/servers';
import { ProjectApplications, summarizeApplications, type ServedApplication } from './deployment/applications';
import { insertWorkerClass, locatedRange, replaceSettingValue, replaceWorkerClass } from './deployment/command-edits';

const CODE = 'IL601';

/** What gunicorn will run a command's workers as: a class it names, or what its config files say. */
type WorkerClassSource =
  | { kind: 'command' | 'environment'; workerClass: string }
  | { kind: 'config'; workerClass: string }
  | { kind: 'default' }
  | { kind: 'unknown' };

const GUNICORN_CONFIG = /(^|[\\/])gunicorn([._-]?(conf|config|cfg))?\.py$/i;

function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** `-k X`, `--worker-class X`, `--worker-class=X`, `-kX` in `GUNICORN_CMD_ARGS`. */
function workerClassInArguments(args: string): string | undefined {
  return /(?:^|\s)(?:-k|--worker-class)(?:=|\s+)?([\w.:#]+)/.exec(args)?.[1];
}

function workerClassSetting(reading: Pick<DeploymentFileReading, 'facts'>): DeploymentSetting | undefined {
  return reading.facts.settings.find((setting) => setting.name === 'worker_class');
}

/**
 * gunicorn's order: the command line, then `GUNICORN_CMD_ARGS`, then the config file (`-c`, or
 * `./gunicorn.conf.py`). A config Interleave cannot find makes the class unknown; a project with
 * a config setting a worker class, that the command may load some other way, makes it unknown too.
 */
function workerClassOf(command: ServerCommand, file: DeploymentFile, project: ProjectFacts): WorkerClassSource {
  if (command.workerClass) return { kind: 'command', workerClass: command.workerClass };
  const environment = file.facts.settings.find(
    (setting) => setting.name === 'GUNICORN_CMD_ARGS' && (setting.group === undefined || setting.group === command.group) && workerClassInArguments(setting.value),
  );
  if (environment) return { kind: 'environment', workerClass: workerClassInArguments(environment.value)! };
  if (!project.deployment) return { kind: 'unknown' };
  const configs = project.deployment.filter((reading) => GUNICORN_CONFIG.test(reading.path));
  if (command.config !== undefined) {
    const wanted = command.config.replace(/^\.\//, '');
    if (wanted.startsWith('python:')) return { kind: 'unknown' };
    const loaded =
      configs.find((reading) => reading.path.replace(/\\/g, '/').endsWith(`/${wanted}`)) ?? configs.find((reading) => fileName(reading.path) === fileName(wanted));
    if (!loaded) return { kind: 'unknown' };
    const setting = workerClassSetting(loaded);
    return setting ? { kind: 'config', workerClass: setting.value } : { kind: 'default' };
  }
  const setting = configs.map(workerClassSetting).find((found) => found !== undefined);
  return setting ? { kind: 'config', workerClass: setting.value } : { kind: 'default' };
}

function fixFor(edits: ReturnType<typeof insertWorkerClass>, message: string): Fix | undefined {
  return edits && { applicability: 'unsafe', message, edits };
}

function message(served: ServedApplication, workerClass: string, where: string): string {
  return (
    `gunicorn runs \`${served.target}\`, a ${served.framework} app (ASGI), with the \`${workerClass}\` worker ${where}. ` +
    `gunicorn's own workers speak WSGI: they call the app as \`app(environ, start_response)\`, so every request fails ` +
    `(\`TypeError: … missing 1 required positional argument: 'send'\`) and the app never starts its lifespan. ` +
    `Run it with uvicorn's worker: \`-k ${ASGI_WORKER_CLASS}\` (or \`worker_class = "${ASGI_WORKER_CLASS}"\` in gunicorn.conf.py).`
  );
}

function checkCommand(command: ServerCommand, { file, project, report }: DeploymentRuleContext, applications: ProjectApplications): void {
  if (command.server !== 'gunicorn') return;
  const served = applications.served(command.application);
  if (served?.protocol !== 'asgi') return;
  const source = workerClassOf(command, file, project);
  // A worker class set in a config file is reported at that setting, where the fix belongs.
  if (source.kind === 'unknown' || source.kind === 'config') return;
  if (source.kind === 'default') {
    report({
      message: message(served, DEFAULT_WORKER_CLASS, '(gunicorn\'s default: the command sets no `-k` and no config file sets `worker_class`)'),
      range: locatedRange(file, command),
      fix: fixFor(insertWorkerClass(file, command, ASGI_WORKER_CLASS), `Add \`-k ${ASGI_WORKER_CLASS}\``),
    });
    return;
  }
  if (workerProtocol(source.workerClass) !== 'wsgi') return;
  report({
    message: message(served, source.workerClass, source.kind === 'command' ? 'the command names' : 'that `GUNICORN_CMD_ARGS` names'),
    range: locatedRange(file, command),
    fix: source.kind === 'command' ? fixFor(replaceWorkerClass(file, command, source.workerClass, ASGI_WORKER_CLASS), `Use the \`${ASGI_WORKER_CLASS}\` worker class`) : undefined,
  });
}

function checkConfig({ file, report }: DeploymentRuleContext, applications: ProjectApplications): void {
  const setting = workerClassSetting(file);
  if (!setting || workerProtocol(setting.value) !== 'wsgi') return;
  const served = applications.served(file.facts.settings.find((candidate) => candidate.name === 'wsgi_app')?.value);
  if (served?.protocol !== 'asgi') return;
  report({
    message: message(served, setting.value, 'this config sets'),
    range: locatedRange(file, setting),
    fix: fixFor(replaceSettingValue(file, setting, setting.value, ASGI_WORKER_CLASS), `Set \`worker_class = "${ASGI_WORKER_CLASS}"\``),
  });
}

export const wsgiWorkerForAsgi: Rule = {
  meta: {
    code: CODE,
    name: 'wsgi-worker-for-asgi',
    family: 'deployment',
    defaultSeverity: 'error',
    summary: "An ASGI app (FastAPI, Starlette) is served by one of gunicorn's WSGI worker classes, so no request succeeds.",
    languages: ['python'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Reads how the project starts gunicorn — Dockerfile \`CMD\`/\`ENTRYPOINT\` (shell and exec form),
docker-compose \`command\`/\`entrypoint\`, Procfiles, Makefiles, shell scripts, Kubernetes
\`command\`/\`args\`, \`GUNICORN_CMD_ARGS\` and \`gunicorn.conf.py\` — and reports a gunicorn that
serves an ASGI application of the analysed project (FastAPI, Starlette, Litestar, Quart, Django's
\`get_asgi_application()\`) with gunicorn's default \`sync\` worker or another WSGI worker class
(\`gthread\`, \`gevent\`, \`eventlet\`, \`tornado\`). The application is the one the command names
(\`app.main:app\`) when the tree has that module, else the project's, when all its applications
are ASGI. A worker class set in a config file is reported at that setting; a command that sets
none, loading no config that does, at the command. Nothing is reported for \`uvicorn\` workers, for
worker classes of the project's own, or when the config file a command loads cannot be found.`,
      whyIsThisBad: `
gunicorn's own workers are WSGI servers: they call the application as
\`app(environ, start_response)\`. An ASGI app expects \`app(scope, receive, send)\`, so every
request fails with a \`TypeError\` and a 500, and the lifespan (startup and shutdown) never runs.
With \`gevent\` or \`gthread\` the failure is the same. The usual cause is a command copied from a
Flask project, or a \`--worker-class\` flag that overrides the right setting in
\`gunicorn.conf.py\`.`,
      examples: [
        {
          language: 'python',
          framework: 'Procfile',
          deploymentFile: 'Procfile',
          bad: `
web: gunicorn app.main:app --workers 4 --bind 0.0.0.0:$PORT
`,
          good: `
web: gunicorn app.main:app --workers 4 -k uvicorn.workers.UvicornWorker --bind 0.0.0.0:$PORT
`,
        },
        {
          language: 'python',
          framework: 'Dockerfile',
          deploymentFile: 'Dockerfile',
          bad: `
FROM python:3.12-slim
COPY . /srv
WORKDIR /srv
CMD ["gunicorn", "--worker-class", "gthread", "--threads", "8", "app.main:app"]
`,
          good: `
FROM python:3.12-slim
COPY . /srv
WORKDIR /srv
CMD ["gunicorn", "--worker-class", "uvicorn.workers.UvicornWorker", "app.main:app"]
`,
        },
      ],
      fixSafety: `
The fix adds \`-k uvicorn.workers.UvicornWorker\` to the command, or replaces the WSGI worker
class with it (on the command line or in \`gunicorn.conf.py\`). It is **unsafe**: the image must
have \`uvicorn\` installed (\`uvicorn[standard]\`, or the \`uvicorn-worker\` package, whose class is
\`uvicorn_worker.UvicornWorker\`), and options that only apply to the old worker (\`--threads\`)
then do nothing.`,
      whenNotToUse: `
When gunicorn serves a different, WSGI application than the one Interleave finds (a Flask admin
next to a FastAPI API in one tree, pointed at by a path Interleave cannot resolve), suppress the
line with a reason: \`# interleave: ignore[wsgi-worker-for-asgi] -- serves the Flask admin\`.`,
    },
  },
  summarize: summarizeApplications,
  checkDeployment(context) {
    const applications = new ProjectApplications(context.project, CODE);
    if (context.file.kind === 'gunicorn-config') checkConfig(context, applications);
    for (const command of context.file.facts.commands) checkCommand(command, context, applications);
  },
};
