import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkerSetting } from '../hazard';
import { chainLinks, contextLine, contextLines } from './describe';
import type { ContextKind, Witness } from './kinds';

const AT = { start: { line: 11, character: 4 }, end: { line: 11, character: 13 } };

function witness(kind: ContextKind, label: string, steps: Witness['steps'] = []): Witness {
  return { kind, entry: { kind, label, path: '/app/main.py', range: AT }, steps };
}

const GUNICORN: WorkerSetting = { count: 4, source: { path: '/app/gunicorn.conf.py', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 11 } }, text: 'workers = 4' } };

describe('context lines: the lens and `interleave contexts` in words', () => {
  test('say how often code runs, with the worker count and the deployment line that sets it', () => {
    assert.equal(contextLine(witness('request-loop', 'GET /dashboard')), 'per request · event loop · GET /dashboard');
    assert.equal(contextLine(witness('request-threadpool', 'GET /export')), 'per request · threadpool (40 threads) · GET /export');
    assert.equal(contextLine(witness('not-served', 'Typer command `seed`')), 'not served · Typer command `seed`');
    assert.equal(contextLine(witness('import', 'import of `app.main`')), 'once per worker, at import');
    assert.equal(contextLine(witness('import', 'import of `app.main`'), { workers: GUNICORN }), 'once per worker × 4 · gunicorn.conf.py:4');
    assert.equal(contextLine(witness('once-per-worker', 'dependency `get_settings`'), { memo: '@lru_cache' }), 'once per worker (`@lru_cache`)');
    assert.equal(
      contextLine(witness('once-per-worker', 'import of `app.db`'), { workers: { count: 3, description: '$WEB_CONCURRENCY workers (default 3)' } }),
      'once per worker (memoised) × $WEB_CONCURRENCY workers (default 3)',
    );
  });

  test('give a lifespan entered at startup and shutdown one line, and say when nothing is known', () => {
    const lifespan = [witness('startup', 'lifespan `lifespan`'), witness('shutdown', 'lifespan `lifespan`')];
    assert.deepEqual(contextLines(lifespan), ['startup and shutdown · lifespan `lifespan`']);
    const reached = [witness('startup', 'lifespan `lifespan`', [{ caller: 'lifespan', call: 'connect', path: '/app/main.py', range: AT }]), lifespan[1]!];
    assert.deepEqual(contextLines(reached), ['startup · lifespan `lifespan`', 'shutdown · lifespan `lifespan`']);
    assert.deepEqual(contextLines([]), ['no known entry point reaches this']);
    assert.deepEqual(contextLines([], { memo: '@cache' }), ['once per worker (`@cache`), at its first call']);
  });

  test('link the entry point, then each call where it is made', () => {
    const step = { caller: 'dashboard', call: 'summarize', path: '/app/report.py', range: { start: { line: 20, character: 8 }, end: { line: 20, character: 19 } } };
    assert.deepEqual(chainLinks(witness('request-loop', 'GET /dashboard', [step])), [
      { label: 'GET /dashboard', path: '/app/main.py', range: AT },
      { label: 'summarize()', caller: 'dashboard', path: '/app/report.py', range: step.range },
    ]);
  });
});
