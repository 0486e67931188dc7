import type { DeploymentFileKind, ServerName } from '../core/deployment-facts';
import type { Rule } from '../core/rule';
import { locatedRange, removeFlag, replaceSettingValue, replaceWordAfter, wordRange } from './deployment/command-edits';

/** How messages name where a command is: `the final stage's CMD`, `service api`. */
const WHERE: Record<DeploymentFileKind, string> = {
  dockerfile: "the image's start command",
  compose: 'a compose service',
  procfile: 'a Procfile process',
  shell: 'a start script',
  makefile: 'a production Makefile target',
  'gunicorn-config': 'the gunicorn config',
  'python-launcher': 'a launcher',
  kubernetes: 'a Kubernetes workload',
};

const UVICORN_RELOAD =
  "uvicorn's reloader runs the app in one child process it restarts whenever a watched file changes — re-running the lifespan and every " +
  '"run once" step, dropping in-flight requests — and it ignores `--workers`, so the deployment runs a single process';

const CONSEQUENCES: Record<ServerName, string> = {
  uvicorn: UVICORN_RELOAD,
  fastapi: UVICORN_RELOAD,
  gunicorn:
    'gunicorn restarts its workers whenever a watched file changes, re-running the app\'s startup and every "run once" step in each, and ' +
    'keeps a file watcher busy in every worker',
  hypercorn:
    'hypercorn restarts the server whenever a watched file changes, re-running the lifespan and every "run once" step, and keeps a file watcher busy',
};

export const reloadInProduction: Rule = {
  meta: {
    code: 'IL602',
    name: 'reload-in-production',
    family: 'deployment',
    defaultSeverity: 'warning',
    summary: 'A production entry point starts the server with `--reload`, which restarts it on file changes and re-runs startup.',
    languages: ['python'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Finds \`--reload\` on a \`uvicorn\`, \`gunicorn\`, \`hypercorn\` or \`fastapi run\` command, and
\`fastapi dev\` (which always reloads), in a production entry point — a Dockerfile's final
\`CMD\`/\`ENTRYPOINT\`, a Procfile, a docker-compose service, a Kubernetes manifest, a start
script, a production Makefile target — and \`reload = True\` in \`gunicorn.conf.py\`. Files that are for development are skipped: names and directories saying so
(\`docker-compose.override.yml\`, \`Dockerfile.dev\`, \`Procfile.dev\`, \`scripts/dev.sh\`, \`local/\`,
\`tests/\`), a Dockerfile whose final stage is named for development (\`FROM base AS dev\`), compose
services that bind-mount the source (\`- .:/app\`) or are named \`dev\`, Makefile targets other than
\`prod\`/\`deploy\`/\`release\`, and \`uvicorn.run(..., reload=True)\` in Python, which is how a
developer starts the app from an editor.`,
      whyIsThisBad: `
The reloader is for editing code: it watches the source tree and restarts the server when a file
changes. In production the files should never change, so it only costs a watcher process — and
when something does touch the tree (a log or upload directory inside it, a mounted volume, a
config file rewritten by an agent), every worker restarts mid-request and re-runs the lifespan and
module-level setup: caches are rebuilt, connection pools reopened, "run once" jobs run again.
uvicorn's \`--reload\` also ignores \`--workers\`, so the container silently runs one process.`,
      examples: [
        {
          language: 'python',
          framework: 'Dockerfile',
          deploymentFile: 'Dockerfile',
          bad: `
FROM python:3.12-slim
WORKDIR /srv
COPY . .
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--reload"]
`,
          good: `
FROM python:3.12-slim
WORKDIR /srv
COPY . .
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--workers", "4"]
`,
        },
        {
          language: 'python',
          framework: 'Procfile',
          deploymentFile: 'Procfile',
          bad: `
web: uvicorn app.main:app --host 0.0.0.0 --port $PORT --reload
`,
          good: `
web: uvicorn app.main:app --host 0.0.0.0 --port $PORT
`,
        },
      ],
      fixSafety: `
The fix removes \`--reload\` from the command (or sets \`reload = False\` in the gunicorn config).
It is **unsafe** when the file is in fact how developers run the app locally: then move the
reloading command to a development-only file (\`docker-compose.override.yml\`, a \`dev\` Makefile
target, \`Procfile.dev\`) instead.`,
      whenNotToUse: `
When a file Interleave reads as production is only ever used in development and its name cannot
say so, suppress with a reason: \`# interleave: ignore[reload-in-production] -- local dev image\`,
or exclude the file in the configuration.`,
    },
  },
  checkDeployment({ file, report }) {
    if (file.development || file.kind === 'python-launcher') return;
    for (const command of file.facts.commands) {
      if (!command.reload || command.development) continue;
      // `fastapi dev` reloads by itself; `fastapi run` is its production form.
      const developmentCli = command.server === 'fastapi' && command.args[0] === 'dev';
      const edits = developmentCli ? replaceWordAfter(file, command, 'fastapi', 'dev', 'run') : removeFlag(file, command, '--reload');
      report({
        message: `\`${developmentCli ? 'fastapi dev' : '--reload'}\` in ${WHERE[file.kind]}: ${CONSEQUENCES[command.server]}. Production should start without it; keep reloading commands in development-only files (docker-compose.override.yml, a \`dev\` Makefile target, Procfile.dev).`,
        range: (developmentCli ? undefined : wordRange(file, command, '--reload')) ?? locatedRange(file, command),
        ...(edits && { fix: { applicability: 'unsafe', message: developmentCli ? 'Use `fastapi run`' : 'Remove `--reload`', edits } }),
      });
    }
    const setting = file.kind === 'gunicorn-config' ? file.facts.settings.find((candidate) => candidate.name === 'reload' && candidate.value === 'True') : undefined;
    if (setting && !setting.development) {
      const edits = replaceSettingValue(file, setting, 'True', 'False');
      report({
        message: `\`reload = True\` in ${WHERE[file.kind]}: ${CONSEQUENCES.gunicorn}. Production should run with \`reload = False\` (the default).`,
        range: locatedRange(file, setting),
        ...(edits && { fix: { applicability: 'unsafe', message: 'Set `reload = False`', edits } }),
      });
    }
  },
};
