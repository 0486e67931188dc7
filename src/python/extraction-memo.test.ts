import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { resolveConfig } from '../core/config';
import { checkModule, projectFacts, summarizeModule, type ParsedModule } from '../core/engine';
import type { FunctionFacts } from '../core/facts';
import { RULES } from '../rules';
import { analyzePython, extractFacts, loadPythonParser } from './frontend';
import { ExtractionMemo } from './extraction-memo';
import { parsePython } from './parser';

before(loadPythonParser);

const PATH = '/p/app/orders.py';
const MODULE = 'app.orders';
const config = resolveConfig([], RULES.map((rule) => rule.meta));

const ORIGINAL = `import asyncio
import threading
import time
from fastapi import APIRouter, FastAPI

app = FastAPI()
router = APIRouter()
COUNTS = {}
DEBUG = False


class Ledger:
    total = 0

    def __init__(self):
        self.entries = []

    async def add(self, amount):
        before = self.total
        await asyncio.sleep(0)
        self.total = before + amount


ledger = Ledger()


def load_prices():
    with open("prices.json") as prices:
        return prices.read()


def sync_count(key):
    COUNTS[key] = COUNTS.get(key, 0) + 1


@router.get("/orders/{key}")
async def count(key: str):
    seen = COUNTS.get(key, 0)
    await asyncio.sleep(0)
    COUNTS[key] = seen + 1
    return {"seen": seen}


@router.post("/orders")
async def create(order: dict):
    prices = load_prices()
    time.sleep(1)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: load_prices())

    def audit():
        return order

    return audit()


@router.get("/sync")
def sync_handler(key: str):
    sync_count(key)


@router.get("/debug")
async def debug():
    if DEBUG:
        time.sleep(1)


def configure():
    return None
`;

/** Each step edits the text before it, as a user would, one change at a time. */
const EDITS: { name: string; edit: (text: string) => string }[] = [
  { name: 'an edit inside one function', edit: (text) => text.replace('await asyncio.sleep(0)\n    COUNTS[key]', 'await asyncio.sleep(1)\n    COUNTS[key]') },
  { name: 'a constant rebound inside another function, so a branch testing it may run', edit: (text) => text.replace('def configure():\n    return None', 'def configure():\n    DEBUG = True\n    return DEBUG') },
  { name: 'a character typed into a name', edit: (text) => text.replace('prices = load_prices()', 'pricesx = load_prices()') },
  {
    name: 'a function added at the end',
    edit: (text) => `${text}\n\n@router.get("/late")\nasync def late(key: str):\n    COUNTS[key] = COUNTS[key] + await asyncio.sleep(0)\n`,
  },
  { name: 'a line inserted above everything, shifting every function', edit: (text) => `"""Orders."""\n${text}` },
  { name: 'a function removed', edit: (text) => text.replace(/\n\n@router\.post\("\/orders"\)[\s\S]*?return audit\(\)\n/, '\n') },
  { name: 'a lock assigned through self, which changes what other methods hold', edit: (text) => text.replace('self.entries = []', 'self.entries = []\n        self.lock = threading.Lock()') },
  { name: 'a module binding added, which changes what names refer to', edit: (text) => text.replace('COUNTS = {}', 'COUNTS = {}\nload_prices = None') },
  { name: 'a helper registered as a route elsewhere in the module', edit: (text) => `${text}\nrouter.add_api_route("/prices", load_prices)\n` },
  { name: 'a threadpool handler stops calling a sync helper', edit: (text) => text.replace('    sync_count(key)\n', '    return key\n') },
  { name: 'a function made async', edit: (text) => text.replace('def sync_count(key):', 'async def sync_count(key):') },
  { name: 'a base class given to a class', edit: (text) => text.replace('class Ledger:', 'class Ledger(threading.Thread):') },
  { name: 'a half-typed line that does not parse', edit: (text) => text.replace('    return {"seen": seen}', '    return {"seen": seen') },
  { name: 'the line fixed again', edit: (text) => text.replace('    return {"seen": seen\n', '    return {"seen": seen}\n') },
];

/** With no project facts, or (`summarised`) in a project of the module's own summaries, as the language server checks an indexed file. */
function hazardsOf(parsed: ParsedModule, summarised = false): string[] {
  const project = summarised ? projectFacts([summarizeModule(parsed, RULES)]) : {};
  return checkModule(parsed, { rules: RULES, config, project }).hazards.map((hazard) => `${hazard.code} ${JSON.stringify(hazard.range)} ${hazard.message}`);
}

describe('facts of unchanged functions reused across edits', () => {
  it('gives the facts and findings of a fresh analysis after every edit of a series', () => {
    const memo = new ExtractionMemo();
    let text = ORIGINAL;
    let tree = parsePython(text);
    try {
      extractFacts(tree, text, PATH, MODULE, memo);
      for (const { name, edit } of EDITS) {
        text = edit(text);
        tree.delete();
        tree = parsePython(text);
        const incremental = extractFacts(tree, text, PATH, MODULE, memo);
        const fresh = analyzePython(text, PATH, MODULE);
        assert.deepEqual(incremental.facts, fresh.facts, `facts after ${name}`);
        assert.deepEqual(hazardsOf(incremental), hazardsOf(fresh), `findings after ${name}`);
        assert.deepEqual(summarizeModule(incremental, RULES), summarizeModule(fresh, RULES), `summaries after ${name}`);
        assert.deepEqual(hazardsOf(incremental, true), hazardsOf(fresh, true), `findings in the project after ${name}`);
      }
    } finally {
      tree.delete();
    }
  });

  it('rebuilds only the function an edit inside its body changes, and keeps the others as they were', () => {
    const memo = new ExtractionMemo();
    const tree = parsePython(ORIGINAL);
    const edited = EDITS[0]!.edit(ORIGINAL);
    const next = parsePython(edited);
    try {
      const before = extractFacts(tree, ORIGINAL, PATH, MODULE, memo).facts.functions;
      const after = extractFacts(next, edited, PATH, MODULE, memo).facts.functions;
      const rebuilt = after.filter((fn) => !before.includes(fn)).map((fn) => fn.name);
      assert.deepEqual(rebuilt, ['count', '<lambda>']);
    } finally {
      tree.delete();
      next.delete();
    }
  });

  it('rebuilds every function when the module scope changes under them', () => {
    const memo = new ExtractionMemo();
    const edited = EDITS[6]!.edit(ORIGINAL);
    const tree = parsePython(ORIGINAL);
    const next = parsePython(edited);
    try {
      const before = new Set<FunctionFacts>(extractFacts(tree, ORIGINAL, PATH, MODULE, memo).facts.functions);
      const after = extractFacts(next, edited, PATH, MODULE, memo).facts.functions;
      assert.deepEqual(after.filter((fn) => before.has(fn)), []);
    } finally {
      tree.delete();
      next.delete();
    }
  });
});
