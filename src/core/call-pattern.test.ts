import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallMatcher, compilePattern, patternProblem } from './call-pattern';

describe('call patterns', () => {
  it('match qualified callees with *, ** and alternatives', () => {
    assert.ok(compilePattern('os.spawn*').test('os.spawnlp'));
    assert.ok(!compilePattern('os.spawn*').test('os.spawn.x'));
    assert.ok(compilePattern('requests.{get,post}').test('requests.post'));
    assert.ok(!compilePattern('requests.{get,post}').test('requests.put'));
    assert.ok(compilePattern('pymongo.MongoClient()**.find_one').test('pymongo.MongoClient()[].users.find_one'));
    assert.ok(compilePattern('{sqlite3.connect,sqlite3.Connection}().execute').test('sqlite3.connect().execute'));
    assert.ok(!compilePattern('requests.get').test('requests_get'));
    assert.ok(compilePattern('better-sqlite3().{prepare,exec}').test('better-sqlite3().exec'));
    assert.ok(compilePattern('@prisma/client.PrismaClient().$queryRaw').test('@prisma/client.PrismaClient().$queryRaw'));
  });

  it('key npm package names, scoped or with a subpath, by the whole package', () => {
    const matcher = new CallMatcher([
      { calls: ['fs.readFileSync'], label: 'fs' },
      { calls: ['fs/promises.readFile'], label: 'fs/promises' },
      { calls: ['@scope/pkg.run'], label: 'scoped' },
    ]);
    assert.equal(matcher.match('fs.readFileSync')?.label, 'fs');
    assert.equal(matcher.match('fs/promises.readFile')?.label, 'fs/promises');
    assert.equal(matcher.match('@scope/pkg.run')?.label, 'scoped');
    assert.equal(patternProblem('better-sqlite3().prepare'), undefined);
    assert.equal(patternProblem('@prisma/client.PrismaClient().$connect'), undefined);
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
