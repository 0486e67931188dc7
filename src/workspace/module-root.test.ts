import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeProject } from '../../test/support/cli';
import { ModuleNamer } from './module-root';

describe('ModuleNamer', () => {
  const root = makeProject({
    'src/app/__init__.py': '',
    'src/app/routers/__init__.py': '',
    'src/app/routers/orders.py': '',
    'src/app/main.py': '',
    'scripts/seed.py': '',
    'loose/not_a_package/tool.py': '',
    'src/app/plugins.py': '',
    'src/app/plugins/__init__.py': '',
    'src/app/helpers/mail.py': '',
    'src/app/api/v1/openai/chat.py': '',
    'pyproject.toml': '',
    'tools/lint/check.py': '',
  });
  const namer = new ModuleNamer();

  test('names a module from the nearest directory that is not a package', () => {
    assert.equal(namer.moduleRoot(join(root, 'src/app/routers/orders.py')), join(root, 'src'));
    assert.equal(namer.moduleName(join(root, 'src/app/routers/orders.py')), 'app.routers.orders');
    assert.equal(namer.moduleName(join(root, 'src/app/main.py')), 'app.main');
  });

  test('names a package by its __init__.py', () => {
    assert.equal(namer.moduleName(join(root, 'src/app/routers/__init__.py')), 'app.routers');
  });

  test('a module file beside a package of the same name does not take its name: imports load the package', () => {
    assert.equal(namer.moduleName(join(root, 'src/app/plugins/__init__.py')), 'app.plugins');
    assert.equal(namer.moduleName(join(root, 'src/app/plugins.py')), 'app.plugins (shadowed)');
  });

  test('a directory without __init__.py inside a package is a namespace package of it', () => {
    assert.equal(namer.moduleName(join(root, 'src/app/helpers/mail.py')), 'app.helpers.mail');
    assert.equal(namer.moduleName(join(root, 'src/app/api/v1/openai/chat.py')), 'app.api.v1.openai.chat');
  });

  test('a directory outside any package names its modules from itself, below the project root', () => {
    assert.equal(namer.moduleName(join(root, 'tools/lint/check.py')), 'check');
  });

  test('a file outside any package is a top-level module', () => {
    assert.equal(namer.moduleName(join(root, 'scripts/seed.py')), 'seed');
    assert.equal(namer.moduleName(join(root, 'loose/not_a_package/tool.py')), 'tool');
  });
});

describe('ModuleNamer for TypeScript', () => {
  const root = makeProject({
    'shop/package.json': '{}',
    'shop/src/routes/orders.ts': '',
    'shop/src/db/index.ts': '',
  });
  const namer = new ModuleNamer();

  test('names a module by its path from the nearest package.json, an index file by its directory', () => {
    assert.equal(namer.moduleName(join(root, 'shop/src/routes/orders.ts')), 'src/routes/orders');
    assert.equal(namer.moduleName(join(root, 'shop/src/db/index.ts')), 'src/db');
  });
});
