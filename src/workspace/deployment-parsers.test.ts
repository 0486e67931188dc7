import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countFromExpression,
  countFromShellWord,
  deploymentComments,
  isDevelopmentPath,
  parseDeploymentFile,
  parseMakefile,
  parseCompose,
  parseDockerfile,
  parseGunicornConfig,
  parseKubernetes,
  parseProcfile,
  parseServerCommands,
  parseShellScript,
  parseUvicornRun,
  shellWords,
  workerSettingFrom,
  type DeploymentFileFacts,
} from './deployment-parsers';

const AT = { line: 0, endLine: 0 };

function workersOf(facts: DeploymentFileFacts): number[] {
  return [
    ...facts.commands.flatMap((command) => (command.workers ? [command.workers.count] : [])),
    ...facts.settings.flatMap((setting) => (setting.processes ? [setting.processes.count] : [])),
  ];
}

describe('worker counts', () => {
  it('reads numbers, CPU arithmetic and environment defaults in Python', () => {
    assert.deepEqual(countFromExpression('4'), { count: 4 });
    const perCpu = countFromExpression('multiprocessing.cpu_count() * 2 + 1');
    assert.equal(perCpu?.count, 5);
    assert.match(perCpu?.description ?? '', /CPUs/);
    assert.equal(countFromExpression('(2 * cpu_count()) + 1')?.count, 5);
    assert.equal(countFromExpression('max(2, os.cpu_count() // 2)')?.count, 2);
    const fromEnvironment = countFromExpression('int(os.environ.get("WEB_CONCURRENCY", "3"))');
    assert.equal(fromEnvironment?.count, 3);
    assert.match(fromEnvironment?.description ?? '', /\$WEB_CONCURRENCY .*default 3/);
    assert.equal(countFromExpression('int(os.getenv("GUNICORN_WORKERS", 6))')?.count, 6);
    assert.equal(countFromExpression('settings.workers'), undefined);
    assert.equal(countFromExpression('int(os.environ["WORKERS"])'), undefined);
  });

  it('reads shell words: numbers, defaults and nproc', () => {
    assert.deepEqual(countFromShellWord('8'), { count: 8 });
    assert.equal(countFromShellWord('${WEB_CONCURRENCY:-4}')?.count, 4);
    assert.equal(countFromShellWord('$(nproc)')?.count, 2);
    assert.equal(countFromShellWord('$((2 * $(nproc) + 1))')?.count, 5);
    assert.equal(countFromShellWord('$WORKERS'), undefined);
  });
});

describe('server command lines', () => {
  it('splits shell words with quotes and separators', () => {
    assert.deepEqual(shellWords(`cd /app && exec gunicorn -b "0.0.0.0:8000" app:app # comment`), ['cd', '/app', '&&', 'exec', 'gunicorn', '-b', '0.0.0.0:8000', 'app:app']);
  });

  it('finds gunicorn and uvicorn worker options in every spelling', () => {
    const cases: [string, number | undefined][] = [
      ['gunicorn app.main:app -w 4 -k uvicorn.workers.UvicornWorker', 4],
      ['gunicorn -w4 app.main:app', 4],
      ['gunicorn --workers 3 app.main:app', 3],
      ['gunicorn --workers=5 app.main:app', 5],
      ['uvicorn app.main:app --host 0.0.0.0 --workers 4', 4],
      ['uvicorn app.main:app --workers=2', 2],
      ['python -m uvicorn app.main:app --workers 3', 3],
      ['hypercorn -w 2 app.main:app', 2],
      ['/usr/local/bin/gunicorn --workers ${WEB_CONCURRENCY:-4} app:app', 4],
      ['uvicorn app.main:app --host 0.0.0.0 --port 80', undefined],
      ['gunicorn app:app', undefined],
    ];
    for (const [command, workers] of cases) {
      const [parsed] = parseServerCommands(command, AT);
      assert.ok(parsed, command);
      assert.equal(parsed.workers?.count, workers, command);
    }
  });

  it('reads the worker class and --reload for the deployment rules', () => {
    const [parsed] = parseServerCommands('gunicorn -k uvicorn.workers.UvicornWorker --reload app:app', AT);
    assert.equal(parsed?.workerClass, 'uvicorn.workers.UvicornWorker');
    assert.equal(parsed?.reload, true);
    assert.equal(parseServerCommands('gunicorn --worker-class=gevent app:app', AT)[0]?.workerClass, 'gevent');
  });

  it('does not take uvicorn -w (not a uvicorn option) or an unrelated command for a server', () => {
    assert.equal(parseServerCommands('uvicorn -w 4 app:app', AT)[0]?.workers, undefined);
    assert.deepEqual(parseServerCommands('python manage.py migrate', AT), []);
    assert.deepEqual(parseServerCommands('pip install gunicorn uvicorn', AT), []);
    assert.equal(parseServerCommands('WEB_CONCURRENCY=2 poetry run gunicorn -w 3 app:app', AT)[0]?.workers?.count, 3);
    assert.equal(parseServerCommands('ddtrace-run uvicorn app:app --workers 2', AT)[0]?.server, 'uvicorn');
  });
});

describe('Dockerfile', () => {
  it('reads the final stage CMD in JSON form and ENV WEB_CONCURRENCY', () => {
    const facts = parseDockerfile(`FROM python:3.12-slim AS build
RUN pip install --prefix=/install -r requirements.txt
CMD ["gunicorn", "-w", "8", "build:app"]

FROM python:3.12-slim
WORKDIR /app
COPY --from=build /install /usr/local
COPY . .
ENV PYTHONUNBUFFERED=1 \\
    WEB_CONCURRENCY=3
EXPOSE 8000
CMD ["gunicorn", "app.main:app", "--workers", "4", "--worker-class", "uvicorn.workers.UvicornWorker", "--bind", "0.0.0.0:8000"]
`);
    assert.deepEqual(workersOf(facts), [4, 3]);
    assert.equal(facts.commands[0]?.line, 11);
    assert.equal(facts.commands[0]?.workerClass, 'uvicorn.workers.UvicornWorker');
    assert.equal(facts.settings[0]?.line, 8);
    assert.equal(facts.settings[0]?.endLine, 9);
  });

  it('reads shell-form commands continued over lines, and sh -c', () => {
    const facts = parseDockerfile(`FROM python:3.12
ENTRYPOINT uvicorn app.main:app \\
    --host 0.0.0.0 \\
    --workers 2
`);
    assert.deepEqual(workersOf(facts), [2]);
    assert.equal(facts.commands[0]?.endLine, 3);
    const viaShell = parseDockerfile(`FROM python:3.12\nCMD ["sh", "-c", "alembic upgrade head && gunicorn -w 6 app:app"]\n`);
    assert.deepEqual(workersOf(viaShell), [6]);
  });

  it('finds nothing in a Dockerfile without a server command', () => {
    assert.deepEqual(parseDockerfile('FROM node:20\nCMD ["node", "server.js"]\n'), { commands: [], settings: [] });
  });
});

describe('docker-compose', () => {
  it('reads command strings and lists, environment maps and lists, replicas', () => {
    const facts = parseCompose(`services:
  api:
    build: .
    command: gunicorn app.main:app -w 4 -k uvicorn.workers.UvicornWorker
    environment:
      DATABASE_URL: postgresql://db/shop
    deploy:
      replicas: 3
  worker:
    image: shop
    command: ["uvicorn", "app.main:app", "--workers", "2"]
    environment:
      - WEB_CONCURRENCY=5
  db:
    image: postgres:16
`);
    assert.deepEqual(workersOf(facts), [4, 2, 3, 5]);
    assert.equal(facts.commands[0]?.line, 3);
    assert.equal(facts.commands[0]?.text, 'command: gunicorn app.main:app -w 4 -k uvicorn.workers.UvicornWorker');
    assert.equal(facts.settings.find((setting) => setting.name === 'replicas')?.line, 7);
  });

  it('survives a file that is not valid YAML', () => {
    assert.deepEqual(parseCompose('services: [unclosed'), { commands: [], settings: [] });
  });
});

describe('Procfile and shell scripts', () => {
  it('reads Procfile process lines', () => {
    const facts = parseProcfile(`release: alembic upgrade head
web: gunicorn app.main:app --workers 4 -k uvicorn.workers.UvicornWorker
worker: python -m app.worker
`);
    assert.deepEqual(workersOf(facts), [4]);
    assert.equal(facts.commands[0]?.line, 1);
  });

  it('reads scripts with exec, continuations and WEB_CONCURRENCY', () => {
    const facts = parseShellScript(`#!/bin/sh
set -e
# gunicorn -w 16 is what we used to run
export WEB_CONCURRENCY=\${WEB_CONCURRENCY:-2}
alembic upgrade head
exec gunicorn app.main:app \\
  --bind 0.0.0.0:8000 \\
  --workers 3
`);
    assert.deepEqual(workersOf(facts), [3, 2]);
    assert.equal(facts.commands[0]?.line, 5);
    assert.equal(facts.commands[0]?.endLine, 7);
  });
});

describe('gunicorn.conf.py', () => {
  it('reads workers, worker_class and reload', () => {
    const facts = parseGunicornConfig(`import multiprocessing
import os

bind = "0.0.0.0:8000"
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "uvicorn.workers.UvicornWorker"
reload = False
`);
    assert.deepEqual(
      facts.settings.map((setting) => [setting.name, setting.value, setting.line]),
      [
        ['workers', 'multiprocessing.cpu_count() * 2 + 1', 4],
        ['worker_class', 'uvicorn.workers.UvicornWorker', 5],
        ['reload', 'False', 6],
      ],
    );
    assert.equal(facts.settings[0]?.processes?.count, 5);
  });

  it('reads a plain number and ignores indented assignments', () => {
    const facts = parseGunicornConfig(`workers = 4  # one per core\n\ndef on_starting(server):\n    workers = 1\n`);
    assert.deepEqual(workersOf(facts), [4]);
  });
});

describe('uvicorn.run in Python', () => {
  it('reads workers= across lines and reload=True', () => {
    const facts = parseUvicornRun(`import uvicorn

if __name__ == "__main__":
    uvicorn.run(
        "app.main:app",
        host="0.0.0.0",
        workers=4,
    )
    config = uvicorn.Config("app.main:app", reload=True)
`);
    assert.deepEqual(workersOf(facts), [4]);
    assert.equal(facts.settings[0]?.line, 6);
    assert.equal(facts.settings[0]?.text, 'workers=4,');
    assert.ok(facts.settings.some((setting) => setting.name === 'reload'));
  });
});

describe('Kubernetes manifests', () => {
  it('reads replicas, container commands and env across documents', () => {
    const facts = parseKubernetes(`apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  ports:
    - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: shop:latest
          command: ["gunicorn"]
          args: ["app.main:app", "-w", "2", "-k", "uvicorn.workers.UvicornWorker"]
          env:
            - name: WEB_CONCURRENCY
              value: "2"
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
spec:
  minReplicas: 2
  maxReplicas: 10
`);
    assert.deepEqual(workersOf(facts), [2, 3, 2, 10]);
    assert.equal(facts.settings.find((setting) => setting.name === 'replicas')?.line, 13);
    assert.match(facts.settings.at(-1)?.processes?.description ?? '', /up to 10 replicas/);
  });
});

describe('the project worker count', () => {
  const file = (path: string, facts: DeploymentFileFacts, development = false) => ({ path, facts, development });

  it('takes the largest production count and names its file and line', () => {
    const setting = workerSettingFrom([
      file('/p/Procfile', parseProcfile('web: gunicorn app:app -w 2\n')),
      file('/p/gunicorn.conf.py', parseGunicornConfig('bind = ":8000"\nworkers = 4\n')),
      file('/p/scripts/dev.sh', parseShellScript('uvicorn app:app --workers 9\n'), true),
      file('/p/run.sh', parseShellScript('uvicorn app:app --reload --workers 8\n')),
    ]);
    assert.equal(setting?.count, 4);
    assert.equal(setting?.source?.path, '/p/gunicorn.conf.py');
    assert.equal(setting?.source?.range.start.line, 1);
    assert.equal(setting?.source?.text, 'workers = 4');
    assert.equal(setting?.description, undefined);
  });

  it('multiplies replicas only with the workers of the same service', () => {
    const compose = parseCompose(`services:
  api:
    command: uvicorn app:app --workers 2
    deploy:
      replicas: 3
  jobs:
    command: uvicorn jobs:app --workers 5
`);
    const setting = workerSettingFrom([file('/p/docker-compose.yml', compose)]);
    assert.equal(setting?.count, 6);
    assert.equal(setting?.description, '3 replicas × 2 workers');
    assert.equal(setting?.source?.range.start.line, 4);
  });

  it('multiplies replicas and workers of one manifest', () => {
    const manifest = parseKubernetes(`kind: Deployment
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          command: ["uvicorn", "app:app", "--workers", "2"]
`);
    const setting = workerSettingFrom([file('/p/k8s/deployment.yaml', manifest)]);
    assert.equal(setting?.count, 6);
    assert.equal(setting?.description, '3 replicas × 2 workers');
  });

  it('describes counts that scale with the CPUs', () => {
    const setting = workerSettingFrom([file('/p/gunicorn.conf.py', parseGunicornConfig('workers = multiprocessing.cpu_count() * 2 + 1\n'))]);
    assert.ok((setting?.count ?? 0) >= 2);
    assert.match(setting?.description ?? '', /cpu_count\(\) \* 2 \+ 1.*CPUs/);
  });

  it('is 1 only when everything says 1, and undefined when nothing says anything', () => {
    assert.equal(workerSettingFrom([file('/p/Procfile', parseProcfile('web: gunicorn app:app -w 1\n'))])?.count, 1);
    assert.equal(workerSettingFrom([file('/p/Procfile', parseProcfile('web: gunicorn app:app\n'))]), undefined);
    assert.equal(workerSettingFrom([]), undefined);
  });

  it('knows development files by name', () => {
    for (const path of ['docker-compose.override.yml', 'Dockerfile.dev', 'scripts/dev.sh', 'compose.local.yaml', 'tests/run.sh']) {
      assert.ok(isDevelopmentPath(path), path);
    }
    for (const path of ['Dockerfile', 'docker-compose.yml', 'deploy/k8s/deployment.yaml', 'scripts/start.sh', 'Procfile']) {
      assert.ok(!isDevelopmentPath(path), path);
    }
  });
});

describe('deployment files for the deployment rules', () => {
  it('reads the application, the config file and GUNICORN_CMD_ARGS gunicorn is given', () => {
    const [command] = parseServerCommands('gunicorn -c deploy/gunicorn.py --bind 0.0.0.0:8000 "app.main:create_app()"', AT);
    assert.equal(command?.config, 'deploy/gunicorn.py');
    assert.equal(command?.application, 'app.main:create_app()');
    const docker = parseDockerfile('FROM python\nENV GUNICORN_CMD_ARGS="-k uvicorn.workers.UvicornWorker"\nCMD gunicorn app:app\n');
    assert.deepEqual(docker.settings.map((setting) => [setting.name, setting.value]), [['GUNICORN_CMD_ARGS', '-k uvicorn.workers.UvicornWorker']]);
    assert.equal(parseGunicornConfig('wsgi_app = "app.main:app"\n').settings[0]?.value, 'app.main:app');
    const [production, development] = parseServerCommands('fastapi run app/main.py --workers 4; fastapi dev app/main.py', AT);
    assert.deepEqual([production?.server, production?.workers?.count, production?.reload, development?.reload], ['fastapi', 4, false, true]);
    assert.deepEqual(parseServerCommands('pip install fastapi', AT), []);
  });

  it('marks what is for development inside a file: a final dev stage, bind-mounting services, Makefile targets', () => {
    const staged = parseDockerfile('FROM python AS base\nCMD uvicorn a:b\nFROM base AS dev\nCMD uvicorn a:b --reload\n');
    assert.deepEqual(staged.commands.map((command) => command.development), [true]);
    const compose = parseCompose('services:\n  api:\n    command: uvicorn a:b --reload\n    volumes:\n      - .:/srv\n  web:\n    command: uvicorn a:b\n');
    assert.deepEqual(compose.commands.map((command) => [command.group, command.development ?? false]), [['service api', true], ['service web', false]]);
    const make = parseMakefile('.PHONY: run deploy\nrun:\n\tuvicorn a:b --reload\ndeploy: build\n\t@gunicorn -w 4 a:b \\\n\t  --bind 0.0.0.0:80\n');
    assert.deepEqual(
      make.commands.map((command) => [command.group, command.line, command.endLine, command.development ?? false, command.workers?.count]),
      [['target run', 2, 2, true, undefined], ['target deploy', 4, 5, false, 4]],
    );
    const developerTarget = { path: '/p/Makefile', facts: parseMakefile('run:\n\tgunicorn -w 8 a:b\n'), development: false };
    assert.equal(workerSettingFrom([developerTarget]), undefined, 'developer targets do not set the worker count');
  });

  it('finds comments where each format allows them', () => {
    assert.deepEqual(deploymentComments('dockerfile', '# a\nRUN echo "#1" # not a comment\n').map((comment) => comment.text), ['# a']);
    assert.deepEqual(deploymentComments('procfile', 'web: run "#x"  # note\n').map((comment) => [comment.text, comment.range.start.character]), [['# note', 15]]);
  });

  it('reads a file by its name, confirming YAML by its content, and tells development files by their path', () => {
    assert.equal(parseDeploymentFile('/p/ci.yml', 'ci.yml', 'steps: []\n'), undefined);
    assert.equal(parseDeploymentFile('/p/k8s/api.yaml', 'k8s/api.yaml', 'kind: Deployment\nspec: {}\n')?.kind, 'kubernetes');
    const override = parseDeploymentFile('/p/docker-compose.override.yml', 'docker-compose.override.yml', 'services: {}\n');
    assert.deepEqual([override?.kind, override?.development], ['compose', true]);
    assert.equal(parseDeploymentFile('/p/README.md', 'README.md', '# readme\n'), undefined);
  });
});
