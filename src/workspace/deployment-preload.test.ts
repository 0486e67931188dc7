import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeploymentFileFacts } from '../core/deployment-facts';
import { parseCompose, parseDockerfile, parseGunicornConfig, parseProcfile, parseServerCommands } from './deployment-parsers';
import { preloadSettingsFrom } from './deployment-preload';

const AT = { line: 0, endLine: 0 };
const file = (path: string, facts: DeploymentFileFacts, development = false) => ({ path, facts, development });

describe('gunicorn preloading', () => {
  it('reads --preload on gunicorn commands only', () => {
    assert.equal(parseServerCommands('gunicorn app.main:app --preload -w 4', AT)[0]?.preload, true);
    assert.equal(parseServerCommands('gunicorn app.main:app -w 4', AT)[0]?.preload, undefined);
    assert.equal(parseServerCommands('uvicorn app.main:app --preload', AT)[0]?.preload, undefined);
  });

  it('reads preload_app in gunicorn.conf.py', () => {
    assert.deepEqual(
      parseGunicornConfig('workers = 4\npreload_app = True  # share memory\n').settings.map((setting) => [setting.name, setting.value, setting.line]),
      [
        ['workers', '4', 0],
        ['preload_app', 'True', 1],
      ],
    );
  });

  it('names the line and the applications each preloading setting serves', () => {
    const settings = preloadSettingsFrom([
      file('/p/Dockerfile', parseDockerfile('FROM python\nCMD ["gunicorn", "app.main:app", "--preload"]\n')),
      file('/p/gunicorn.conf.py', parseGunicornConfig('preload_app = True\n')),
      file('/p/Procfile', parseProcfile('web: gunicorn -c gunicorn.conf.py api.asgi:application\n')),
    ]);
    assert.deepEqual(
      settings.map(({ source, setting, applications }) => [source.path, source.range.start.line, setting, applications]),
      [
        ['/p/Dockerfile', 1, '--preload', ['app.main:app']],
        ['/p/gunicorn.conf.py', 0, 'preload_app = True', ['app.main:app', 'api.asgi:application']],
      ],
    );
  });

  it('reads GUNICORN_CMD_ARGS="--preload" for the commands of the same service', () => {
    const compose = parseCompose(`services:
  api:
    command: gunicorn app.main:app -k uvicorn.workers.UvicornWorker
    environment:
      GUNICORN_CMD_ARGS: "--preload --workers 4"
  admin:
    command: gunicorn admin.wsgi:app
`);
    const [setting, ...others] = preloadSettingsFrom([file('/p/docker-compose.yml', compose)]);
    assert.deepEqual(others, []);
    assert.deepEqual([setting?.setting, setting?.applications, setting?.source.range.start.line], ['GUNICORN_CMD_ARGS="--preload"', ['app.main:app'], 4]);
  });

  it('leaves out development files and services, reloading commands and preload_app = False', () => {
    assert.deepEqual(
      preloadSettingsFrom([
        file('/p/docker-compose.override.yml', parseCompose('services:\n  api:\n    command: gunicorn app:app --preload\n'), true),
        file('/p/docker-compose.yml', parseCompose('services:\n  dev:\n    command: gunicorn app:app --preload\n')),
        file('/p/Procfile', parseProcfile('web: gunicorn app:app --preload --reload\n')),
        file('/p/gunicorn.conf.py', parseGunicornConfig('preload_app = False\n')),
      ]),
      [],
    );
  });
});
