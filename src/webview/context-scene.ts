/**
 * The seeds' picture of where code runs: worker processes side by side, each with its own copy
 * of module state, an event loop whose tasks share memory and a threadpool whose threads share it
 * too; and, apart, the processes that are not the server (commands, tests, scripts). The places
 * the code runs are filled in. Pure data, like the story scenes: the webview turns it into SVG.
 */
import type { ContextKind } from '../core/contexts/kinds';
import type { CodeContexts } from '../server/protocol';
import { fitText, type SceneShape } from './story-scene';

export interface ContextNote {
  text: string;
  /** True when the code runs where the note speaks of. */
  applies: boolean;
}

export interface ContextScene {
  width: number;
  height: number;
  shapes: SceneShape[];
  /** What the filled-in parts say, in a sentence. */
  caption: string;
  /** What each part of the picture means for code that runs there. */
  notes: ContextNote[];
}

const WIDTH = 720;
const WORKERS_RIGHT = 580;
const GAP = 10;
const BOX_TOP = 10;
const BOX_HEIGHT = 244;
/** Roughly how wide a character of the drawing's 11 px labels is. */
const CHAR_WIDTH = 6.1;

const ON_THE_LOOP: ReadonlySet<ContextKind> = new Set(['request-loop', 'background-loop', 'startup', 'shutdown']);
const ON_THREADS: ReadonlySet<ContextKind> = new Set(['request-threadpool', 'worker-thread']);
const ONCE_PER_WORKER: ReadonlySet<ContextKind> = new Set(['import', 'once-per-worker']);

export function buildContextScene(code: CodeContexts): ContextScene {
  const kinds = new Set(code.contexts.map((context) => context.kind));
  const has = (set: ReadonlySet<ContextKind>) => [...kinds].some((kind) => set.has(kind));
  const count = code.workers?.count;
  const drawn = Math.min(count ?? 2, 3);
  const boxWidth = (WORKERS_RIGHT - 20 - GAP * (drawn - 1)) / drawn;
  const shapes: SceneShape[] = [];
  for (let index = 0; index < drawn; index++) {
    const x = 20 + index * (boxWidth + GAP);
    const last = index === drawn - 1 && (count === undefined || count > drawn);
    const heading = !last ? `Worker ${index + 1}` : count === undefined ? `Worker ${index + 1}…` : `Workers ${drawn}–${count}`;
    shapes.push(
      { kind: 'rect', role: 'worker', from: 0, x, y: BOX_TOP, width: boxWidth, height: BOX_HEIGHT },
      { kind: 'text', role: 'heading', from: 0, x: x + boxWidth / 2, y: BOX_TOP + 20, text: heading, anchor: 'middle' },
      ...moduleState(x + 10, boxWidth - 20, has(ONCE_PER_WORKER)),
      ...lane(x + 10, BOX_TOP + 92, boxWidth - 20, 'event loop', 'task', has(ON_THE_LOOP)),
      ...lane(x + 10, BOX_TOP + 168, boxWidth - 20, 'threadpool · 40 threads', 'thread', has(ON_THREADS)),
    );
  }
  const apart = WORKERS_RIGHT + GAP;
  const notServed = kinds.has('not-served');
  shapes.push(
    { kind: 'rect', role: notServed ? 'running' : 'phase', from: 0, x: apart, y: BOX_TOP, width: WIDTH - 20 - apart, height: BOX_HEIGHT, dashed: true },
    { kind: 'text', role: 'heading', from: 0, x: apart + (WIDTH - 20 - apart) / 2, y: BOX_TOP + 20, text: 'not served', anchor: 'middle' },
    ...['a command,', 'a test, a script:', 'a process', 'of its own'].map(
      (line, index): SceneShape => ({ kind: 'text', role: 'step-label', from: 0, x: apart + 10, y: BOX_TOP + 48 + index * 16, text: line, anchor: 'start' }),
    ),
  );
  const workers = count === undefined ? 'worker processes' : `${code.workers?.description ?? `${count} worker processes`}`;
  const places = [
    ...(has(ON_THE_LOOP) ? ['on the event loop'] : []),
    ...(has(ON_THREADS) ? ['on a thread of the pool'] : []),
    ...(has(ONCE_PER_WORKER) ? ['once, when the worker builds its module state'] : []),
  ];
  const everyWorker = places.length > 0 ? `in every worker process, ${places.join(', and ')}` : '';
  const where = [everyWorker, ...(notServed ? ['in a process of its own, outside the server'] : [])].filter(Boolean).join('; and ');
  return {
    width: WIDTH,
    height: BOX_TOP + BOX_HEIGHT + 10,
    shapes,
    caption: where ? `Filled in: where ${code.subject} runs — ${where}.` : `No entry point Interleave knows reaches ${code.subject}: nothing is filled in.`,
    notes: [
      {
        text: 'Tasks on one event loop share memory: at every `await`, another request can run and change what this code read.',
        applies: has(ON_THE_LOOP),
      },
      {
        text: 'Threads of the pool share memory with each other and with the loop’s tasks: the OS can switch threads between any two statements.',
        applies: has(ON_THREADS),
      },
      {
        text: `Worker processes each have their own copy of module state (here: ${workers}): a change in one is never seen by the others.`,
        applies: has(ONCE_PER_WORKER) || code.kind === 'state',
      },
      { text: 'Code that is not served runs in a process of its own: a command, a test or a script, never the server’s workers.', applies: notServed },
    ],
  };
}

/** Each worker's own copy of module state; filled in when the code is what builds it. */
function moduleState(x: number, width: number, here: boolean): SceneShape[] {
  return [
    { kind: 'rect', role: here ? 'changed' : 'copy', from: 0, x, y: BOX_TOP + 32, width, height: 48 },
    { kind: 'text', role: 'step-label', from: 0, x: x + width / 2, y: BOX_TOP + 51, text: 'module state', anchor: 'middle' },
    { kind: 'text', role: here ? 'value' : 'step-label', from: 0, x: x + width / 2, y: BOX_TOP + 69, text: here ? 'built once here' : 'its own copy', anchor: 'middle' },
  ];
}

/** An event loop or a threadpool: a label and three units side by side, filled in when the code runs on them. */
function lane(x: number, y: number, width: number, label: string, unit: string, here: boolean): SceneShape[] {
  const unitWidth = (width - 20 - 2 * 6) / 3;
  return [
    { kind: 'rect', role: 'phase', from: 0, x, y, width, height: 66 },
    { kind: 'text', role: 'step-label', from: 0, x: x + 8, y: y + 16, ...fitText(label, Math.floor((width - 16) / CHAR_WIDTH)), anchor: 'start' },
    ...[0, 1, 2].flatMap((index): SceneShape[] => {
      const unitX = x + 10 + index * (unitWidth + 6);
      return [
        { kind: 'rect', role: here ? 'running' : 'step', from: 0, x: unitX, y: y + 26, width: unitWidth, height: 30 },
        { kind: 'text', role: 'step-label', from: 0, x: unitX + unitWidth / 2, y: y + 45, ...fitText(unit, Math.floor(unitWidth / CHAR_WIDTH)), anchor: 'middle' },
      ];
    }),
  ];
}
