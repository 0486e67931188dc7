import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HazardStory, StoryStep } from '../core/hazard';
import type { ExplainResult, HazardReference } from '../server/protocol';
import { buildStoryScene, fitText, flaggedSource, storySteps, type StoryScene } from './story-scene';

const PROBE = '</script><img src=x onerror=alert(1)>';

function step(line: number, code: string): StoryStep {
  return { range: { start: { line, character: 4 }, end: { line, character: 4 + code.length } }, code };
}

const excerpt = {
  startLine: 10,
  before: [
    'async def dashboard():',
    '    current = RequestCounter.count',
    `    await audit("${PROBE}")`,
    '    RequestCounter.count = current + 1',
  ].join('\n'),
};

function explain(overrides: Partial<ExplainResult>): ExplainResult {
  return {
    code: 'IL101',
    name: 'await-race',
    family: 'race',
    severity: 'warning',
    message: 'lost update',
    url: 'https://example.invalid/IL101',
    docs: { summary: '', whatItDoes: '', whyIsThisBad: '', fixSafety: '', whenNotToUse: '', examples: [] },
    excerpt,
    ...overrides,
  };
}

const reference: HazardReference = {
  uri: 'file:///app/main.py',
  range: { start: { line: 12, character: 4 }, end: { line: 12, character: 24 } },
  code: 'IL101',
};

const lostUpdate: HazardStory = {
  kind: 'lost-update',
  state: 'RequestCounter.count',
  read: step(10, 'current = RequestCounter.count'),
  suspend: step(11, `await audit("${PROBE}")`),
  write: step(12, 'RequestCounter.count = current + 1'),
};

/** A result carrying a story kind this client's types do not know, as a newer server may send. */
function fromNewerServer(result: ExplainResult, story: object): ExplainResult {
  return Object.assign(result, { story });
}

function texts(scene: StoryScene): string[] {
  return scene.shapes.flatMap((shape) => (shape.kind === 'text' ? [shape.text, shape.full ?? ''] : []));
}

describe('story scenes', () => {
  it('plays a lost update as two requests that both read 5 and both write 6', () => {
    const scene = buildStoryScene(explain({ story: lostUpdate }), reference);
    assert.equal(scene.frames.length, 7);
    assert.deepEqual(
      scene.frames.map((frame) => frame.shared),
      ['5', '5', '5', '5', '5', '6', '6'],
    );
    assert.match(scene.frames[6].caption, /one update lost/);
    assert.deepEqual(
      scene.frames.slice(1).map((frame) => frame.line),
      [10, 11, 10, 11, 12, 12],
    );
    const labels = texts(scene).filter((text) => /^(reads|awaits|writes) · line/.test(text));
    assert.deepEqual(labels, ['reads · line 11', 'awaits · line 12', 'reads · line 11', 'awaits · line 12', 'writes · line 13', 'writes · line 13']);
    assert.ok(texts(scene).includes('Request A') && texts(scene).includes('Request B'));
  });

  it('shows each event from its own frame on, and the stage from frame 0', () => {
    const scene = buildStoryScene(explain({ story: lostUpdate }), reference);
    const firstFrames = new Set(scene.shapes.map((shape) => shape.from));
    assert.deepEqual([...firstFrames].sort(), [0, 1, 2, 3, 4, 5, 6]);
    for (const shape of scene.shapes) assert.ok(shape.from < scene.frames.length);
  });

  it('keeps source text as data, unaltered: the probe survives whole, as a tooltip where shortened', () => {
    const scene = buildStoryScene(explain({ story: lostUpdate }), reference);
    assert.ok(texts(scene).includes(`await audit("${PROBE}")`));
    const shortened = scene.shapes.find((shape) => shape.kind === 'text' && shape.full?.includes(PROBE));
    assert.ok(shortened?.kind === 'text' && `await audit("${PROBE}")`.startsWith(shortened.text.slice(0, -1)));
  });

  it('plays check-then-act as two checks that pass before either acts', () => {
    const story: HazardStory = {
      kind: 'check-then-act',
      state: 'BALANCES[user]',
      check: step(3, 'if BALANCES[user] >= amount:'),
      suspend: step(4, 'await charge(user, amount)'),
      write: step(5, 'BALANCES[user] -= amount'),
    };
    const scene = buildStoryScene(explain({ code: 'IL104', name: 'await-check-then-act', story }), reference);
    assert.equal(scene.frames.length, 7);
    assert.equal(texts(scene).filter((text) => text.startsWith('checks · line 4')).length, 2);
    assert.match(scene.frames[6].caption, /no longer holds/);
  });

  it('plays a threadpool race between two threads, with no await', () => {
    const story: HazardStory = { kind: 'thread-race', state: 'hits', read: step(3, 'n = hits'), write: step(4, 'hits = n + 1') };
    const scene = buildStoryScene(explain({ code: 'IL102', story }), reference);
    assert.ok(texts(scene).includes('Thread 1'));
    assert.equal(scene.frames.length, 5);
    assert.equal(scene.frames[4].shared, '6');
  });

  it('draws one box per worker process, up to four, and names where the count comes from', () => {
    const workers = { count: 9, source: { path: '/app/gunicorn.conf.py', range: step(3, 'workers = 9').range, text: 'workers = 9' } };
    const story: HazardStory = { kind: 'per-process', state: 'manager', definition: step(32, 'manager = ConnectionManager()'), mutations: [step(19, 'manager.add(ws)')], workers };
    const scene = buildStoryScene(explain({ code: 'IL103', story }), reference);
    const headings = texts(scene).filter((text) => text.startsWith('Worker'));
    assert.deepEqual(headings, ['Worker 1', 'Worker 2', 'Worker 3', 'Workers 4–9']);
    assert.match(scene.frames[0].caption, /gunicorn\.conf\.py line 4 runs 9 workers/);
    assert.match(scene.frames[1].caption, /manager\.add\(ws\)/);
    // Worker 1's unchanged copy gives way to the changed one.
    const copies = scene.shapes.filter((shape) => shape.role === 'copy' || shape.role === 'changed');
    assert.deepEqual(
      copies.map(({ role, from, until }) => [role, from, until]),
      [['copy', 0, 1], ['copy', 0, undefined], ['copy', 0, undefined], ['copy', 0, undefined], ['changed', 1, undefined]],
    );
  });

  it('assumes two workers when the deployment does not say', () => {
    const story: HazardStory = { kind: 'per-process', state: 'jobs', definition: step(1, 'jobs = {}'), mutations: [] };
    const scene = buildStoryScene(explain({ code: 'IL103', story }), reference);
    assert.deepEqual(texts(scene).filter((text) => text.startsWith('Worker')), ['Worker 1', 'Worker 2']);
    assert.match(scene.frames[0].caption, /drawn here with 2/);
  });

  it('draws a blocking call holding the event loop while requests queue, from the flagged code', () => {
    const blockingReference: HazardReference = { ...reference, code: 'IL201', range: { start: { line: 11, character: 4 }, end: { line: 11, character: 9 } } };
    const scene = buildStoryScene(explain({ code: 'IL201', family: 'blocking' }), blockingReference);
    assert.equal(scene.frames.length, 4);
    assert.ok(scene.shapes.some((shape) => shape.role === 'blocked'));
    assert.ok(scene.shapes.some((shape) => shape.role === 'queued'));
    assert.match(scene.frames[0].caption, /`await`/);
  });

  it('lists the call chain of a blocking story whose kind this client does not know yet', () => {
    const story = { kind: 'blocking-chain', call: step(3, 'load_config()'), chain: [step(20, 'open(path).read()')] };
    const scene = buildStoryScene(fromNewerServer(explain({ code: 'IL202', family: 'blocking' }), story), reference);
    assert.ok(texts(scene).includes('call · line 4'));
    assert.ok(texts(scene).includes('chain · line 21'));
    assert.match(scene.frames[1].caption, /`load_config\(\)` → `open\(path\)\.read\(\)`/);
  });

  it('draws a lifespan resource created at startup with no close at shutdown', () => {
    const scene = buildStoryScene(explain({ code: 'IL301', family: 'lifespan' }), reference);
    assert.ok(texts(scene).includes('no close()'));
    assert.ok(scene.shapes.some((shape) => shape.role === 'missing' && shape.from === 2));
  });

  it('falls back to the flagged code, or the steps of an unknown story', () => {
    const plain = buildStoryScene(explain({ code: 'IL401', family: 'tasks' }), reference);
    assert.equal(plain.frames.length, 1);
    assert.equal(plain.frames[0].caption, 'IL401 await-race at line 13: `RequestCounter.count`');
    const story = { kind: 'future-kind', start: step(2, 'a()'), finish: step(5, 'b()') };
    const stepped = buildStoryScene(fromNewerServer(explain({ code: 'IL999', family: 'tasks' }), story), reference);
    assert.deepEqual(stepped.frames.map((frame) => frame.line), [12, 2, 5]);
  });
});

describe('story helpers', () => {
  it('reads the flagged code from the excerpt, or the whole line for a multi-line range', () => {
    assert.equal(flaggedSource(explain({}), reference), 'RequestCounter.count');
    const multiLine = { ...reference, range: { start: { line: 12, character: 4 }, end: { line: 13, character: 0 } } };
    assert.equal(flaggedSource(explain({}), multiLine), 'RequestCounter.count = current + 1');
  });

  it('shortens long text with an ellipsis and keeps the whole for the tooltip', () => {
    assert.deepEqual(fitText('short', 10), { text: 'short' });
    assert.deepEqual(fitText('0123456789abc', 10), { text: '012345678…', full: '0123456789abc' });
  });

  it('finds steps in any story shape, ignoring what is not a step', () => {
    assert.deepEqual(storySteps(undefined), []);
    assert.deepEqual(
      storySteps({ kind: 'x', state: 'y', callChain: [step(1, 'a()'), { code: 3 }], other: { range: 1 } }).map(({ label }) => label),
      ['call chain'],
    );
  });
});
