import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContextKind } from '../core/contexts/kinds';
import type { CodeContexts } from '../server/protocol';
import { buildContextScene } from './context-scene';
import type { SceneShape } from './story-scene';

const RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };

function runningIn(kinds: ContextKind[], workers?: CodeContexts['workers'], kind: CodeContexts['kind'] = 'function'): CodeContexts {
  return {
    kind,
    subject: '`f`',
    uri: 'file:///app/main.py',
    anchor: RANGE,
    range: RANGE,
    lines: kinds,
    contexts: kinds.map((contextKind) => ({ kind: contextKind, line: contextKind, chain: [] })),
    ...(workers && { workers }),
  };
}

const texts = (shapes: readonly SceneShape[]) => shapes.flatMap((shape) => (shape.kind === 'text' ? [shape.text] : []));
/** How many of the drawn units (tasks, threads) and copies of module state are filled in. */
const filled = (shapes: readonly SceneShape[], role: SceneShape['role']) => shapes.filter((shape) => shape.kind === 'rect' && shape.role === role).length;

describe('the picture of where code runs', () => {
  test('draws the worker processes the deployment sets, each with an event loop, a threadpool and its own module state', () => {
    const scene = buildContextScene(runningIn(['request-loop'], { count: 4 }));
    assert.deepEqual(
      texts(scene.shapes).filter((text) => text.startsWith('Worker')),
      ['Worker 1', 'Worker 2', 'Workers 3–4'],
    );
    assert.equal(texts(scene.shapes).filter((text) => text === 'event loop').length, 3);
    assert.equal(texts(scene.shapes).filter((text) => text === 'threadpool · 40 threads').length, 3);
    assert.equal(texts(scene.shapes).filter((text) => text === 'its own copy').length, 3);
    assert.ok(scene.shapes.every((shape) => shape.kind !== 'rect' || shape.x + shape.width <= scene.width), 'everything fits the width');
  });

  test('fills in where the code runs: tasks on the loop, threads of the pool, the module state it builds, or the process apart', () => {
    assert.equal(filled(buildContextScene(runningIn(['request-loop'], { count: 2 })).shapes, 'running'), 6, 'three tasks in each of two workers');
    assert.equal(filled(buildContextScene(runningIn(['request-threadpool'], { count: 1 })).shapes, 'running'), 3);
    const once = buildContextScene(runningIn(['import'], { count: 2 }));
    assert.equal(filled(once.shapes, 'changed'), 2);
    assert.equal(filled(once.shapes, 'running'), 0);
    const cli = buildContextScene(runningIn(['not-served']));
    assert.equal(filled(cli.shapes, 'running'), 1, 'only the process apart');
  });

  test('says in a sentence what is filled in', () => {
    assert.equal(
      buildContextScene(runningIn(['request-loop', 'request-threadpool'], { count: 4 })).caption,
      'Filled in: where `f` runs — in every worker process, on the event loop, and on a thread of the pool.',
    );
    assert.equal(buildContextScene(runningIn(['not-served'])).caption, 'Filled in: where `f` runs — in a process of its own, outside the server.');
    assert.equal(buildContextScene(runningIn([])).caption, 'No entry point Interleave knows reaches `f`: nothing is filled in.');
  });

  test('says what sharing memory means there, marking the notes that apply', () => {
    const applying = (scene: ReturnType<typeof buildContextScene>) => scene.notes.filter((note) => note.applies).map((note) => note.text.split(' ')[0]);
    assert.deepEqual(applying(buildContextScene(runningIn(['request-loop', 'request-threadpool']))), ['Tasks', 'Threads']);
    assert.deepEqual(applying(buildContextScene(runningIn(['import'], undefined, 'state'))), ['Worker']);
    assert.match(buildContextScene(runningIn(['import'], { count: 4 })).notes[2]!.text, /here: 4 worker processes/);
    assert.match(buildContextScene(runningIn(['import'])).notes[2]!.text, /here: worker processes/);
  });
});
