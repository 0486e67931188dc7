/**
 * Turns a finding into the explainer's drawing: shapes in SVG coordinates, each appearing at a
 * frame of the story, and one caption per frame. Pure data, so it is tested without a DOM; the
 * webview turns it into SVG elements, putting every piece of source text in a text node.
 */
import type { HazardStory, StoryStep, WorkerSetting } from '../core/hazard';
import type { ExplainResult, HazardReference } from '../server/protocol';

/** What a shape stands for; it becomes the shape's CSS class, and so its theme colour. */
export type ShapeRole =
  | 'lane'
  | 'heading'
  | 'step'
  | 'step-label'
  | 'code'
  | 'value'
  | 'lost'
  | 'running'
  | 'blocked'
  | 'queued'
  | 'worker'
  | 'copy'
  | 'changed'
  | 'phase'
  | 'missing'
  | 'arrow';

interface ShapeBase {
  role: ShapeRole;
  /** The first frame the shape is drawn in; 0 shapes are the stage, drawn throughout. */
  from: number;
  /** The frame from which the shape is gone again, when a later shape takes its place. */
  until?: number;
}

export type SceneShape =
  | (ShapeBase & { kind: 'rect'; x: number; y: number; width: number; height: number; dashed?: boolean })
  | (ShapeBase & {
      kind: 'text';
      x: number;
      y: number;
      text: string;
      anchor: 'start' | 'middle' | 'end';
      /** The whole text when `text` had to be shortened to fit; shown as a tooltip. */
      full?: string;
    })
  | (ShapeBase & { kind: 'line'; x1: number; y1: number; x2: number; y2: number; dashed?: boolean; arrow?: boolean });

export interface StoryFrame {
  caption: string;
  /** The shared state's value after this frame, when the story has one to show. */
  shared?: string;
  /** The 0-based source line this frame is about, which the panel offers to show. */
  line?: number;
}

export interface StoryScene {
  title: string;
  width: number;
  height: number;
  shapes: SceneShape[];
  /** At least one frame; frame 0 sets the stage. */
  frames: StoryFrame[];
}

/** Draws the story the finding carries, or the picture its rule family calls for. */
export function buildStoryScene(result: ExplainResult, reference: HazardReference): StoryScene {
  const story = result.story;
  switch (story?.kind) {
    case 'lost-update':
    case 'check-then-act':
    case 'thread-race':
      return interleavingScene(story);
    case 'per-process':
      return workersScene(story.state, story.definition, story.mutations, story.workers ?? result.workers);
  }
  const flagged = flaggedSource(result, reference);
  if (result.family === 'blocking') return eventLoopScene(flagged, reference.range.start.line, storySteps(story));
  if (result.code === 'IL301') return lifespanScene(flagged, reference.range.start.line);
  return stepsScene(result, reference, storySteps(story));
}

const WIDTH = 720;
const MONO_CHAR_WIDTH = 7.3;

/** Shortens `text` to `maxChars`, keeping the start: the part of a line a reader recognises. */
export function fitText(text: string, maxChars: number): { text: string; full?: string } {
  return text.length <= maxChars ? { text } : { text: `${text.slice(0, maxChars - 1)}…`, full: text };
}

function lineLabel(step: StoryStep): string {
  return `line ${step.range.start.line + 1}`;
}

type Lane = 0 | 1;

interface InterleavingEvent {
  lane: Lane;
  verb: string;
  step: StoryStep;
  caption: string;
  /** The shared state after the event, short enough for the column between the lanes. */
  value?: string;
  lost?: boolean;
}

/** Two requests (or threads) side by side, one event per row, the shared value between them. */
function interleavingScene(story: Extract<HazardStory, { kind: 'lost-update' | 'check-then-act' | 'thread-race' }>): StoryScene {
  const state = `\`${story.state}\``;
  const threads = story.kind === 'thread-race';
  const [a, b] = threads ? ['Thread 1', 'Thread 2'] : ['Request A', 'Request B'];
  let intro: StoryFrame;
  let events: InterleavingEvent[];
  if (story.kind === 'check-then-act') {
    const { check, suspend, write } = story;
    intro = { caption: `${state} passes the check. ${a} and ${b} arrive at the same time.`, shared: 'passes the check' };
    events = [
      { lane: 0, verb: 'checks', step: check, caption: `${a} checks ${lineLabel(check)} (\`${check.code}\`): the check passes.`, value: '✓ passes' },
      { lane: 0, verb: 'awaits', step: suspend, caption: `${a} suspends at ${lineLabel(suspend)}: the event loop runs ${b}.` },
      { lane: 1, verb: 'checks', step: check, caption: `${b} checks too. ${a} has not acted yet, so it passes again.`, value: '✓ passes' },
      { lane: 1, verb: 'awaits', step: suspend, caption: `${b} suspends at the same await.` },
      { lane: 0, verb: 'acts', step: write, caption: `${a} resumes and acts on its check at ${lineLabel(write)}.`, value: 'changed' },
      {
        lane: 1,
        verb: 'acts',
        step: write,
        caption: `${b} resumes and acts on a check that no longer holds: ${state} is changed twice where the check allowed once.`,
        value: 'changed again',
        lost: true,
      },
    ];
  } else if (story.kind === 'lost-update') {
    const { read, suspend, write } = story;
    intro = { caption: `${state} holds 5. ${a} and ${b} each come to add 1.`, shared: '5' };
    events = [
      { lane: 0, verb: 'reads', step: read, caption: `${a} reads ${state} at ${lineLabel(read)}: 5.`, value: '5' },
      { lane: 0, verb: 'awaits', step: suspend, caption: `${a} suspends at ${lineLabel(suspend)}: the event loop runs ${b}.`, value: '5' },
      { lane: 1, verb: 'reads', step: read, caption: `${b} reads ${state} too: still 5, since ${a} has not written.`, value: '5' },
      { lane: 1, verb: 'awaits', step: suspend, caption: `${b} suspends at the same await.`, value: '5' },
      { lane: 0, verb: 'writes', step: write, caption: `${a} resumes and writes what it computed from 5: 6.`, value: '6' },
      {
        lane: 1,
        verb: 'writes',
        step: write,
        caption: `${b} resumes and writes what it computed from its stale 5: 6 again. Two updates ran, ${state} moved once: one update lost.`,
        value: '6',
        lost: true,
      },
    ];
  } else {
    const { read, write } = story;
    intro = { caption: `The framework runs this function in its threadpool: ${a} and ${b} run it at once. ${state} holds 5.`, shared: '5' };
    events = [
      { lane: 0, verb: 'reads', step: read, caption: `${a} reads ${state} at ${lineLabel(read)}: 5.`, value: '5' },
      { lane: 1, verb: 'reads', step: read, caption: `The OS switches threads: ${b} reads 5 too, before ${a} writes.`, value: '5' },
      { lane: 0, verb: 'writes', step: write, caption: `${a} writes 6 at ${lineLabel(write)}.`, value: '6' },
      {
        lane: 1,
        verb: 'writes',
        step: write,
        caption: `${b} writes 6 from its stale read. Two updates ran, ${state} moved once: one update lost.`,
        value: '6',
        lost: true,
      },
    ];
  }

  const laneX = [20, 430] as const;
  const laneWidth = 270;
  const valueX = 360;
  const rowHeight = 52;
  const top = 44;
  const shapes: SceneShape[] = [
    { kind: 'text', role: 'heading', from: 0, x: laneX[0] + laneWidth / 2, y: 22, text: a, anchor: 'middle' },
    { kind: 'text', role: 'heading', from: 0, x: valueX, y: 22, ...fitText(story.state, 17), anchor: 'middle' },
    { kind: 'text', role: 'heading', from: 0, x: laneX[1] + laneWidth / 2, y: 22, text: b, anchor: 'middle' },
    { kind: 'line', role: 'lane', from: 0, x1: valueX, y1: 32, x2: valueX, y2: top + events.length * rowHeight },
  ];
  events.forEach((event, index) => {
    const frame = index + 1;
    const x = laneX[event.lane];
    const y = top + index * rowHeight;
    shapes.push(
      { kind: 'rect', role: event.lost ? 'lost' : 'step', from: frame, x, y, width: laneWidth, height: rowHeight - 10 },
      { kind: 'text', role: 'step-label', from: frame, x: x + 10, y: y + 16, text: `${event.verb} · ${lineLabel(event.step)}`, anchor: 'start' },
      { kind: 'text', role: 'code', from: frame, x: x + 10, y: y + 33, ...fitText(event.step.code, Math.floor((laneWidth - 20) / MONO_CHAR_WIDTH)), anchor: 'start' },
    );
    if (event.value !== undefined) {
      shapes.push(
        { kind: 'line', role: 'arrow', from: frame, x1: event.lane === 0 ? x + laneWidth : x, y1: y + 21, x2: event.lane === 0 ? valueX - 22 : valueX + 22, y2: y + 21, arrow: event.verb !== 'reads' },
        { kind: 'text', role: event.lost ? 'lost' : 'value', from: frame, x: valueX, y: y + 26, text: event.value, anchor: 'middle' },
      );
    }
  });
  const title = {
    'lost-update': `Two requests interleave at the await: ${story.state} loses an update`,
    'check-then-act': `Two requests pass the same check before either acts on ${story.state}`,
    'thread-race': `Two threads read and write ${story.state} at once`,
  }[story.kind];
  return {
    title,
    width: WIDTH,
    height: top + events.length * rowHeight + 8,
    shapes,
    frames: [intro, ...events.map(({ caption, value, step }) => ({ caption, shared: value, line: step.range.start.line }))],
  };
}

/** N worker processes, each with its own copy of the state; a change lands in one. */
function workersScene(state: string, definition: StoryStep, mutations: StoryStep[], workers: WorkerSetting | undefined): StoryScene {
  const count = Math.max(workers?.count ?? 2, 2);
  const drawn = Math.min(count, 4);
  const gap = 16;
  const boxWidth = (WIDTH - 40 - gap * (drawn - 1)) / drawn;
  const mutation = mutations[0] ?? definition;
  const stateLabel = fitText(state, Math.floor((boxWidth - 24) / MONO_CHAR_WIDTH));
  const shapes: SceneShape[] = [];
  for (let index = 0; index < drawn; index++) {
    const x = 20 + index * (boxWidth + gap);
    const last = index === drawn - 1 && count > drawn;
    // Worker 1's copy is redrawn as changed from frame 1 on.
    const until = index === 0 ? 1 : undefined;
    shapes.push(
      { kind: 'rect', role: 'worker', from: 0, x, y: 10, width: boxWidth, height: 120 },
      { kind: 'text', role: 'heading', from: 0, x: x + boxWidth / 2, y: 32, text: last ? `Workers ${drawn}–${count}` : `Worker ${index + 1}`, anchor: 'middle' },
      { kind: 'rect', role: 'copy', from: 0, until, x: x + 12, y: 48, width: boxWidth - 24, height: 62 },
      { kind: 'text', role: 'code', from: 0, until, x: x + boxWidth / 2, y: 72, ...stateLabel, anchor: 'middle' },
      { kind: 'text', role: 'value', from: 0, until, x: x + boxWidth / 2, y: 96, text: 'its own copy', anchor: 'middle' },
    );
  }
  const first = 20;
  const second = 20 + boxWidth + gap;
  shapes.push(
    { kind: 'rect', role: 'changed', from: 1, x: first + 12, y: 48, width: boxWidth - 24, height: 62 },
    { kind: 'text', role: 'code', from: 1, x: first + boxWidth / 2, y: 72, ...stateLabel, anchor: 'middle' },
    { kind: 'text', role: 'value', from: 1, x: first + boxWidth / 2, y: 96, text: 'changed', anchor: 'middle' },
    { kind: 'text', role: 'step-label', from: 1, x: first + boxWidth / 2, y: 150, text: `request → ${lineLabel(mutation)}`, anchor: 'middle' },
    { kind: 'line', role: 'arrow', from: 1, x1: first + boxWidth / 2, y1: 140, x2: first + boxWidth / 2, y2: 132, arrow: true },
    { kind: 'text', role: 'lost', from: 2, x: second + boxWidth / 2, y: 150, text: 'next request: old value', anchor: 'middle' },
    { kind: 'line', role: 'arrow', from: 2, x1: second + boxWidth / 2, y1: 140, x2: second + boxWidth / 2, y2: 132, arrow: true },
  );
  const where = workers?.source
    ? `${workers.source.path.split(/[\\/]/).pop() ?? workers.source.path} line ${workers.source.range.start.line + 1} runs ${workers.description ?? `${count} workers`}`
    : workers
      ? `The workers setting runs ${count} workers`
      : 'With more than one worker process (drawn here with 2)';
  return {
    title: `Every worker process has its own \`${state}\``,
    width: WIDTH,
    height: 162,
    shapes,
    frames: [
      {
        caption: `${where}. Each imports the module and builds its own \`${state}\` at ${lineLabel(definition)}.`,
        line: definition.range.start.line,
      },
      {
        caption: `A request lands on worker 1 and runs \`${mutation.code}\` (${lineLabel(mutation)}): only worker 1's copy changes.`,
        line: mutation.range.start.line,
      },
      { caption: `The next request lands on worker 2, whose \`${state}\` never saw that change.` },
    ],
  };
}

/** The event loop's one thread held by the call while other requests queue behind it. */
function eventLoopScene(flagged: string, line: number, chain: LabelledStep[]): StoryScene {
  const loopY = 40;
  const blockedStart = 150;
  const blockedEnd = 520;
  const call = fitText(flagged, Math.floor((blockedEnd - blockedStart - 20) / MONO_CHAR_WIDTH));
  const shapes: SceneShape[] = [
    { kind: 'text', role: 'heading', from: 0, x: 20, y: loopY + 22, text: 'event loop', anchor: 'start' },
    { kind: 'line', role: 'lane', from: 0, x1: 100, y1: loopY + 17, x2: 700, y2: loopY + 17, arrow: true },
    { kind: 'rect', role: 'running', from: 1, x: 100, y: loopY, width: blockedStart - 100, height: 34 },
    { kind: 'text', role: 'step-label', from: 1, x: 125, y: loopY + 22, text: 'A', anchor: 'middle' },
    { kind: 'rect', role: 'blocked', from: 1, x: blockedStart, y: loopY, width: blockedEnd - blockedStart, height: 34 },
    { kind: 'text', role: 'code', from: 1, x: blockedStart + 10, y: loopY + 22, ...call, anchor: 'start' },
  ];
  const queued: [string, number][] = [
    ['B', 230],
    ['C', 330],
  ];
  queued.forEach(([name, arrival], index) => {
    const y = loopY + 60 + index * 36;
    const runX = blockedEnd + index * 60;
    shapes.push(
      { kind: 'text', role: 'step-label', from: 2, x: arrival, y: y + 4, text: `${name} arrives`, anchor: 'middle' },
      { kind: 'line', role: 'queued', from: 2, x1: arrival, y1: y + 10, x2: runX + 30, y2: y + 10, dashed: true },
      { kind: 'line', role: 'arrow', from: 3, x1: runX + 30, y1: y + 10, x2: runX + 30, y2: loopY + 36, arrow: true },
      { kind: 'rect', role: 'running', from: 3, x: runX, y: loopY, width: 56, height: 34 },
      { kind: 'text', role: 'step-label', from: 3, x: runX + 28, y: loopY + 22, text: name, anchor: 'middle' },
    );
  });
  let height = loopY + 140;
  if (chain.length > 0) {
    const boxWidth = Math.min(200, (WIDTH - 40 - 20 * (chain.length - 1)) / chain.length);
    chain.forEach(({ label, step }, index) => {
      const x = 20 + index * (boxWidth + 20);
      shapes.push(
        { kind: 'rect', role: 'step', from: 1, x, y: height, width: boxWidth, height: 42 },
        { kind: 'text', role: 'step-label', from: 1, x: x + 8, y: height + 16, text: `${label} · ${lineLabel(step)}`, anchor: 'start' },
        { kind: 'text', role: 'code', from: 1, x: x + 8, y: height + 33, ...fitText(step.code, Math.floor((boxWidth - 16) / MONO_CHAR_WIDTH)), anchor: 'start' },
      );
      if (index > 0) shapes.push({ kind: 'line', role: 'arrow', from: 1, x1: x - 20, y1: height + 21, x2: x - 2, y2: height + 21, arrow: true });
    });
    height += 50;
  }
  return {
    title: 'The call holds the event loop while other requests wait',
    width: WIDTH,
    height,
    shapes,
    frames: [
      { caption: `A request's handler reaches \`${flagged}\` (line ${line + 1}).`, line },
      {
        caption:
          chain.length > 0
            ? `Through ${chain.map(({ step }) => `\`${step.code}\``).join(' → ')}, the call blocks the thread: for as long as it runs, the event loop can switch to nothing else.`
            : 'The call blocks the thread: for as long as it runs, the event loop can switch to nothing else.',
      },
      { caption: 'Requests B and C arrive meanwhile and queue, even those that never run this code.' },
      { caption: 'Only when the call returns does the loop run them: every request on this worker waited for it.' },
    ],
  };
}

/** Lifespan: created at startup, used while serving, and nothing at shutdown closes it. */
function lifespanScene(flagged: string, line: number): StoryScene {
  const phaseWidth = 220;
  const phases = ['startup', 'yield: serving requests', 'shutdown'];
  const created = fitText(flagged, Math.floor((phaseWidth - 24) / MONO_CHAR_WIDTH));
  const shapes: SceneShape[] = phases.flatMap((phase, index): SceneShape[] => [
    { kind: 'rect', role: 'phase', from: 0, x: 20 + index * (phaseWidth + 20), y: 10, width: phaseWidth, height: 110 },
    { kind: 'text', role: 'heading', from: 0, x: 20 + index * (phaseWidth + 20) + phaseWidth / 2, y: 32, text: phase, anchor: 'middle' },
  ]);
  shapes.push(
    { kind: 'rect', role: 'step', from: 0, x: 32, y: 50, width: phaseWidth - 24, height: 40 },
    { kind: 'text', role: 'code', from: 0, x: 42, y: 75, ...created, anchor: 'start' },
    { kind: 'line', role: 'arrow', from: 1, x1: 20 + phaseWidth, y1: 70, x2: 20 + phaseWidth + 32, y2: 70, arrow: true },
    { kind: 'text', role: 'step-label', from: 1, x: 20 + phaseWidth * 1.5 + 20, y: 75, text: 'requests use it', anchor: 'middle' },
    { kind: 'rect', role: 'missing', from: 2, x: 20 + 2 * (phaseWidth + 20) + 12, y: 50, width: phaseWidth - 24, height: 40, dashed: true },
    { kind: 'text', role: 'lost', from: 2, x: 20 + 2 * (phaseWidth + 20) + phaseWidth / 2, y: 75, text: 'no close()', anchor: 'middle' },
  );
  return {
    title: 'Opened at startup, never closed at shutdown',
    width: WIDTH,
    height: 130,
    shapes,
    frames: [
      { caption: `At startup the app creates \`${flagged}\` (line ${line + 1}).`, line },
      { caption: 'While the app serves, requests share it: its connections stay open between requests.' },
      {
        caption:
          'At shutdown nothing closes it: its connections are dropped rather than released, pending writes can be lost, and every reload opens another.',
      },
    ],
  };
}

/** Any other story, or none: the steps it names, one per frame, or the flagged code alone. */
function stepsScene(result: ExplainResult, reference: HazardReference, steps: LabelledStep[]): StoryScene {
  const shown: LabelledStep[] =
    steps.length > 0 ? steps : [{ label: result.name, step: { range: reference.range, code: flaggedSource(result, reference) } }];
  const rowHeight = 52;
  const shapes = shown.flatMap(({ label, step }, index): SceneShape[] => {
    const y = 10 + index * rowHeight;
    const frame = steps.length > 0 ? index + 1 : 0;
    return [
      { kind: 'rect', role: 'step', from: frame, x: 20, y, width: WIDTH - 40, height: rowHeight - 10 },
      { kind: 'text', role: 'step-label', from: frame, x: 30, y: y + 16, text: `${label} · ${lineLabel(step)}`, anchor: 'start' },
      { kind: 'text', role: 'code', from: frame, x: 30, y: y + 33, ...fitText(step.code, Math.floor((WIDTH - 60) / MONO_CHAR_WIDTH)), anchor: 'start' },
    ];
  });
  return {
    title: steps.length > 0 ? 'The steps of the finding' : 'Where the finding is',
    width: WIDTH,
    height: 10 + shown.length * rowHeight,
    shapes,
    frames: [
      { caption: `${result.code} ${result.name} at ${lineLabel(shown[0].step)}: \`${shown[0].step.code}\``, line: reference.range.start.line },
      ...steps.map(({ label, step }) => ({ caption: `${label}: \`${step.code}\` (${lineLabel(step)})`, line: step.range.start.line })),
    ],
  };
}

export interface LabelledStep {
  label: string;
  step: StoryStep;
}

/**
 * The steps a story names, in the order it lists them, whatever its kind: rule families add story
 * kinds over time, and a newer server must still draw something sensible here.
 */
export function storySteps(story: unknown): LabelledStep[] {
  if (typeof story !== 'object' || story === null) return [];
  return Object.entries(story).flatMap(([key, value]): LabelledStep[] => {
    const label = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    if (isStoryStep(value)) return [{ label, step: value }];
    if (Array.isArray(value)) return value.filter(isStoryStep).map((step) => ({ label, step }));
    return [];
  });
}

function isStoryStep(value: unknown): value is StoryStep {
  if (typeof value !== 'object' || value === null || !('code' in value) || !('range' in value)) return false;
  const { code, range } = value;
  return typeof code === 'string' && typeof range === 'object' && range !== null && 'start' in range && 'end' in range;
}

/** The flagged code, read from the excerpt; the whole flagged line when the range spans lines. */
export function flaggedSource(result: ExplainResult, reference: HazardReference): string {
  const { start, end } = reference.range;
  const line = result.excerpt.before.split('\n')[start.line + 1 - result.excerpt.startLine];
  if (line === undefined) return result.code;
  const flagged = start.line === end.line && end.character > start.character ? line.slice(start.character, end.character) : line;
  return flagged.trim() || line.trim();
}
