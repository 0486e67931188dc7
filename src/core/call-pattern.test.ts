import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from '../rules';
import { CallMatcher, compilePattern, patternProblem } from './call-pattern';
import { ConfigError, resolveConfig } from './config';
import { parseTomlSettings } from './config-file';

const metas = RULES.map((rule) => rule.meta);

describe('call patterns', () => {
  it('match qualified callees with *, ** and alternatives', () => {
    assert.ok(compilePattern('os.spawn*').test('os.spawnlp'));
    assert.ok(!compilePattern('os.spawn*').test('os.spawn.x'));
    assert.ok(compilePattern('requests.{get,post}').test('requests.post'));
    assert.ok(!compilePattern('requests.{get,post}').test('requests.put'));
    assert.ok(compilePattern('pymongo.MongoClient()**.find_one').test('pymongo.MongoClient()[].users.find_one'));
    assert.ok(compilePattern('{sqlite3.connect,sqlite3.Connection}().execute').test('sqlite3.connect().execute'));
    assert.ok(!compilePattern('requests.get').test('requests_get'));
  });

  it('leave out exceptions and calls whose literal arguments say they cannot wait', () => {
    const matcher = new CallMatcher([
      { calls: ['boto3.client().*'], except: ['boto3.client().generate_presigned_url'], label: 'aws' },
      { calls: ['threading.Lock().acquire'], unlessLiteral: [{ keyword: 'blocking', position: 0, values: ['False'] }], label: 'lock' },
    ]);
    assert.equal(matcher.match('boto3.client().put_object')?.label, 'aws');
    assert.equal(matcher.match('boto3.client().generate_presigned_url'), undefined);
    assert.equal(matcher.match('threading.Lock().acquire')?.label, 'lock');
    assert.equal(matcher.match('threading.Lock().acquire', [{ keyword: 'blocking', value: 'False' }]), undefined);
    assert.equal(matcher.match('threading.Lock().acquire', [{ position: 0, value: 'False' }]), undefined);
    assert.equal(matcher.match('threading.Lock().acquire', [{ position: 1, value: 'False' }])?.label, 'lock');
    assert.equal(matcher.match(undefined), undefined);
  });

  it('let later entries win, so that a user entry overrides the catalog for the same call', () => {
    const matcher = new CallMatcher([
      { calls: ['vendor.fetch'], label: 'catalog' },
      { calls: ['vendor.fetch'], label: 'user' },
    ]);
    assert.equal(matcher.match('vendor.fetch')?.label, 'user');
  });

  it('explain malformed patterns', () => {
    assert.equal(patternProblem('vendor.Client().send'), undefined);
    assert.match(patternProblem('.fetch') ?? '', /start with/);
    assert.match(patternProblem('vendor..fetch') ?? '', /empty segment/);
    assert.match(patternProblem('vendor.{a,{b}}') ?? '', /nested braces/);
    assert.match(patternProblem('vendor.fetch()?') ?? '', /may only contain/);
  });
});

describe('blocking-call settings', () => {
  it('read lists and pattern = suggestion tables, and add up across layers', () => {
    const settings = parseTomlSettings(
      [
        '[tool.interleave]',
        'cpu-bound-calls = ["imaging.render"]',
        'offload-wrappers = ["app.threads.offload"]',
        '',
        '[tool.interleave.blocking-calls]',
        '"legacy.sdk.upload" = "use `legacy.aio.upload`"',
        'vendor.Client.send = "use the async client"',
        '',
      ].join('\n'),
      'pyproject.toml',
      'tool.interleave',
      metas,
    )!;
    assert.deepEqual(settings.blockingCalls, [
      { pattern: 'legacy.sdk.upload', suggestion: 'use `legacy.aio.upload`' },
      { pattern: 'vendor.Client.send', suggestion: 'use the async client' },
    ]);
    assert.deepEqual(settings.cpuBoundCalls, [{ pattern: 'imaging.render' }]);
    assert.deepEqual(settings.offloadWrappers, ['app.threads.offload']);
    const config = resolveConfig([settings, { blockingCalls: [{ pattern: 'more.calls' }] }], metas);
    assert.deepEqual(config.blockingCalls.map((setting) => setting.pattern), ['legacy.sdk.upload', 'vendor.Client.send', 'more.calls']);
  });

  it('name the file and line of a bad entry', () => {
    const error = (text: string) => {
      try {
        parseTomlSettings(text, 'interleave.toml', 'root', metas);
      } catch (caught) {
        assert.ok(caught instanceof ConfigError);
        return caught.describe();
      }
      assert.fail('expected a ConfigError');
    };
    assert.equal(error('select = ["IL2"]\nblocking-calls = ["ok.call", "bad call"]\n'), 'interleave.toml:2: pattern `bad call` in `blocking-calls` must not contain spaces');
    assert.equal(error('[blocking-calls]\n"vendor.fetch" = 3\n'), 'interleave.toml:2: the suggestion for `vendor.fetch` in `blocking-calls` must be a string');
    assert.equal(error('offload-wrappers = "app.run"\n'), 'interleave.toml:1: `offload-wrappers` must be an array of strings');
    assert.equal(error('[offload-wrappers]\n"app.run" = "x"\n'), 'interleave.toml:2: `offload-wrappers` is not a table');
  });
});
