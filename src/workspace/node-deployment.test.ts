import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeProject } from '../../test/support/cli';
import { projectWorkers } from './deployment';
import { parseNodeCluster, parsePm2Commands, parsePm2Config } from './deployment-parsers';

describe('Node process counts', () => {
  it('reads PM2 ecosystem files: a number of instances, or one per CPU', () => {
    const fixed = parsePm2Config("module.exports = {\n  apps: [{ name: 'api', script: 'dist/server.js', instances: 4, exec_mode: 'cluster' }],\n};\n");
    assert.deepEqual(fixed.settings.map((setting) => [setting.line, setting.processes?.count]), [[1, 4]]);
    const perLine = parsePm2Config("module.exports = {\n  apps: [{\n    name: 'api',\n    instances: 'max',\n  }],\n};\n");
    assert.deepEqual(perLine.settings.map((setting) => [setting.line, setting.processes?.count, setting.processes?.description]), [[3, 2, 'one PM2 instance per CPU']]);
    const json = parsePm2Config('{\n  "apps": [{\n    "name": "api",\n    "instances": 3\n  }]\n}\n');
    assert.deepEqual(json.settings.map((setting) => setting.processes?.count), [3]);
  });

  it('reads a PM2 app without `instances` as one process, PM2\'s default', () => {
    const single = parsePm2Config("module.exports = {\n  apps: [\n    {\n      name: 'monitor',\n      script: './server/server.js',\n    },\n  ],\n};\n");
    assert.deepEqual(single.settings.map((setting) => [setting.line, setting.processes?.count, setting.processes?.description]), [[4, 1, 'one PM2 process']]);
  });

  it('reads `pm2 start -i` commands and forked cluster workers', () => {
    const scripts = parsePm2Commands('{\n  "scripts": {\n    "start": "pm2-runtime start dist/server.js -i 4"\n  }\n}\n');
    assert.deepEqual(scripts.settings.map((setting) => [setting.line, setting.processes?.count]), [[2, 4]]);
    const cluster = parseNodeCluster("import cluster from 'node:cluster';\nimport { availableParallelism } from 'node:os';\nif (cluster.isPrimary) {\n  for (let i = 0; i < availableParallelism(); i++) cluster.fork();\n}\n");
    assert.deepEqual(cluster.settings.map((setting) => [setting.line, setting.processes?.description]), [[3, 'one `cluster` worker per CPU']]);
    assert.deepEqual(parseNodeCluster('// cluster.fork() would be nice\n').settings, []);
  });

  it('finds the count of a Node project from its files', () => {
    const root = makeProject({
      'ecosystem.config.js': "module.exports = { apps: [{ script: 'server.js',\n  instances: 2 }] };\n",
      'src/server.ts': 'export {};\n',
    });
    const workers = projectWorkers(root).workers;
    assert.equal(workers?.count, 2);
    assert.equal(workers?.source?.range.start.line, 1);
  });
});
