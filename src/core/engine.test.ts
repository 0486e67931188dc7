import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rule } from './rule';
import { analyzeText } from '../../test/support/analyze';
import { RULES } from '../rules';
import { loadFrontends, parseSource } from '../workspace/analyze';
import { contextModelOf } from './contexts';
import { projectFacts, summarizeModule, withModuleSummaries } from './engine';

const RACE = `import asyncio
STATE = {"n": 0}
async def bump():
    n = STATE["n"]
    await asyncio.sleep(0)
    STATE["n"] = n + 1
`;

describe('engine', () => {
  it('reports a lost update with its read and await as related locations', async () => {
    const { hazards } = await analyzeText(RACE);
    assert.deepEqual(hazards.map((h) => [h.code, h.range.start.line + 1, h.severity]), [['IL101', 6, 'warning']]);
    assert.deepEqual(hazards[0]!.related.map((r) => r.range.start.line + 1), [4, 5]);
  });

  it('honours suppressions on the line and on the line above', async () => {
    const sameLine = RACE.replace('STATE["n"] = n + 1', 'STATE["n"] = n + 1  # interleave: ignore[IL101] -- one task');
    const lineAbove = RACE.replace('    STATE["n"] = n + 1', '    # interleave: ignore[await-race]\n    STATE["n"] = n + 1');
    const otherRule = RACE.replace('STATE["n"] = n + 1', 'STATE["n"] = n + 1  # interleave: ignore[IL104]');
    assert.equal((await analyzeText(sameLine)).hazards.length, 0);
    assert.equal((await analyzeText(lineAbove)).hazards.length, 0);
    assert.equal((await analyzeText(otherRule)).hazards.length, 1);
    assert.equal((await analyzeText(`# interleave: ignore-file\n${RACE}`)).hazards.length, 0);
  });

  it('applies severity overrides and selections', async () => {
    assert.equal((await analyzeText(RACE, { settings: { severity: { IL101: 'error' } } })).hazards[0]!.severity, 'error');
    assert.equal((await analyzeText(RACE, { settings: { ignore: ['IL1'] } })).hazards.length, 0);
  });

  it('drops findings inside regions that do not parse', async () => {
    const broken = RACE.replace('STATE["n"] = n + 1', 'STATE["n"] = n + 1 +');
    assert.equal((await analyzeText(broken)).hazards.length, 0);
  });

  it('reports a statement in a finally body once, though the flow graph holds a copy per way out', async () => {
    const source = `import asyncio
async def work():
    await asyncio.sleep(1)
async def handler():
    try:
        await asyncio.sleep(1)
    finally:
        asyncio.create_task(work())
        work()
`;
    const { hazards } = await analyzeText(source, { settings: { select: ['IL401', 'IL403'] } });
    assert.deepEqual(hazards.map((h) => `${h.code}:${h.range.start.line + 1}`), ['IL401:8', 'IL403:9']);
  });

  it('keeps going when a rule throws, and reports the failure', async () => {
    const crashing: Rule = {
      meta: { ...RULES[0]!.meta, code: 'IL199', name: 'crashing' },
      check() {
        throw new Error('boom');
      },
    };
    const report = await analyzeText(RACE, { rules: [crashing, ...RULES] });
    assert.deepEqual(report.hazards.map((h) => h.code), ['IL101']);
    assert.match(report.problems[0]!, /IL199 failed on .*boom/s);
  });

  it('reports per-process state (a preview rule) as information without a worker count, escalates it to a warning naming the worker setting, and silences it for one worker', async () => {
    const source = 'from fastapi import FastAPI\napp = FastAPI()\nHITS = {}\n@app.get("/")\nasync def hit(path: str):\n    HITS[path] = 1\n';
    assert.deepEqual((await analyzeText(source)).hazards, [], 'a preview rule');
    const unknown = await analyzeText(source, { settings: { preview: true } });
    assert.deepEqual(unknown.hazards.map((h) => `${h.code}:${h.severity}:${h.range.start.line + 1}`), ['IL103:info:3']);
    const four = await analyzeText(source, {
      settings: { preview: true },
      project: { workers: { count: 4, source: { path: '/p/gunicorn.conf.py', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } }, text: 'workers = 4' } } },
    });
    assert.equal(four.hazards[0]!.severity, 'warning');
    assert.match(four.hazards[0]!.message, /gunicorn\.conf\.py:3 runs 4 workers: each has its own `HITS`/);
    assert.equal((await analyzeText(source, { settings: { preview: true }, project: { workers: { count: 1 } } })).hazards.length, 0);
  });

  it('checks a module being typed against the project as of its current text, the other modules and the project it came from untouched', async () => {
    await loadFrontends();
    const source = 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/")\nasync def root():\n    return 1\n';
    const parse = (text: string) => parseSource('/project/app/main.py', text, 'app.main')!;
    const indexed = summarizeModule(parse(source), RULES);
    const other = summarizeModule(parseSource('/project/app/other.py', 'def helper():\n    return 2\n', 'app.other')!, RULES);
    const project = projectFacts([indexed, other], { workers: { count: 4, description: '4 workers' } });
    const typed = parse(`\n${source}`);
    const root = typed.facts.functions.find((fn) => fn.name === 'root')!;
    assert.deepEqual(contextModelOf(project, typed.facts).contextsOf('app.main', root.id).witnesses, [], 'the index knows `root` a line higher');

    const current = withModuleSummaries(project, summarizeModule(typed, RULES));
    assert.deepEqual(contextModelOf(current, typed.facts).contextsOf('app.main', root.id).witnesses.map((witness) => witness.entry.label), ['GET /']);
    assert.equal(current.contextSummaries?.get('app.other'), other.contexts);
    assert.deepEqual(current.workers, project.workers);
    assert.equal(project.contextSummaries?.get('app.main'), indexed.contexts);
  });
});
