import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeLensRequest, DidChangeConfigurationNotification, HoverRequest, type CodeLens, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { makeProject } from '../../test/support/cli';
import { TestLanguageClient, uriOf } from '../../test/support/lsp-client';
import { WHERE_DOES_THIS_RUN_COMMAND, WHERE_DOES_THIS_RUN_REQUEST, type CodeContexts, type CodePosition } from './protocol';

const repository = join(__dirname, '..', '..');

/** A FastAPI app with one of each thing the lens speaks of, run by gunicorn with four workers. */
const MAIN = `from contextlib import asynccontextmanager
from functools import lru_cache

from fastapi import Depends, FastAPI

VISITS = {"count": 0}


@lru_cache
def get_settings() -> dict:
    return {"name": "shop"}


@asynccontextmanager
async def lifespan(app: FastAPI):
    yield


app = FastAPI(lifespan=lifespan)


def summarize(count: int) -> str:
    return str(count)


@app.get("/dashboard")
async def dashboard(settings: dict = Depends(get_settings)) -> str:
    VISITS["count"] += 1
    return summarize(VISITS["count"])


@app.get("/export")
def export() -> str:
    return "csv"
`;

const SEED_COMMAND = `import typer

cli = typer.Typer()


@cli.command()
def seed() -> None:
    print("seeded")
`;

const GUNICORN = 'workers = 4\nworker_class = "uvicorn.workers.UvicornWorker"\n';

/** The 0-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((candidate) => candidate.includes(needle));
  assert.ok(line >= 0, needle);
  return line;
}

function titlesByLine(lenses: readonly CodeLens[]): Map<number, string[]> {
  const byLine = new Map<number, string[]>();
  for (const lens of lenses) byLine.set(lens.range.start.line, [...(byLine.get(lens.range.start.line) ?? []), lens.command!.title]);
  return byLine;
}

describe('the lens over stdio: textDocument/codeLens, its hover and interleave/whereDoesThisRun', () => {
  let client: TestLanguageClient;
  const root = makeProject({ 'app/__init__.py': '', 'app/main.py': MAIN, 'app/seed.py': SEED_COMMAND, 'gunicorn.conf.py': GUNICORN });
  const main = uriOf(join(root, 'app', 'main.py'));
  const seed = uriOf(join(root, 'app', 'seed.py'));
  const lenses = (uri: string) => client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) as Promise<CodeLens[]>;
  /**
   * Once the server has asked for the lenses again, fetches them as an editor does, again on each
   * later ask, until they pass `check`: an ask can come from an analysis made before the change.
   */
  const refreshedLenses = async (uri: string, after: number, check: (current: CodeLens[]) => boolean, what: string): Promise<CodeLens[]> => {
    await client.until(() => client.lensRefreshes > after, `a codeLens/refresh for ${what}`);
    for (;;) {
      const refreshes = client.lensRefreshes;
      const current = await lenses(uri);
      if (check(current)) return current;
      await client.until(() => client.lensRefreshes > refreshes, `a codeLens/refresh for ${what}`);
    }
  };

  before(async () => {
    execFileSync(process.execPath, [join(repository, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    client = new TestLanguageClient({ args: [join(repository, 'dist', 'server.js'), '--stdio'] });
    await client.initialize([root]);
    client.open(main, MAIN);
    client.open(seed, SEED_COMMAND);
    await client.diagnosticsFor(main);
  });

  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  test('puts a lens above each handler, dependency, lifespan and piece of mutated module state, in the words of the model', async () => {
    const byLine = titlesByLine(await lenses(main));
    assert.deepEqual(byLine.get(lineOf(MAIN, 'VISITS = ')), ['once per worker × 4 · gunicorn.conf.py:1']);
    assert.deepEqual(byLine.get(lineOf(MAIN, '@lru_cache')), ['once per worker (`@lru_cache`) × 4 · gunicorn.conf.py:1']);
    assert.deepEqual(byLine.get(lineOf(MAIN, '@asynccontextmanager')), ['startup and shutdown · lifespan `lifespan`']);
    assert.deepEqual(byLine.get(lineOf(MAIN, '@app.get("/dashboard")')), ['per request · event loop · GET /dashboard']);
    assert.deepEqual(byLine.get(lineOf(MAIN, '@app.get("/export")')), ['per request · threadpool (40 threads) · GET /export']);
    // A plain helper gets none under the default setting; an app object is not application state.
    assert.equal(byLine.get(lineOf(MAIN, 'def summarize')), undefined);
    assert.equal(byLine.get(lineOf(MAIN, 'app = FastAPI')), undefined);
    assert.deepEqual(titlesByLine(await lenses(seed)).get(lineOf(SEED_COMMAND, '@cli.command()')), ['not served · Typer command `seed`']);
  });

  test('each lens runs Where Does This Run? on its code', async () => {
    const dashboard = (await lenses(main)).find((lens) => lens.command!.title.includes('GET /dashboard'))!;
    const line = lineOf(MAIN, 'async def dashboard');
    assert.equal(dashboard.command!.command, WHERE_DOES_THIS_RUN_COMMAND);
    assert.deepEqual(dashboard.command!.arguments, [{ uri: main, position: { line, character: MAIN.split('\n')[line]!.indexOf('dashboard') } }]);
    assert.equal(dashboard.command!.tooltip, 'Click to see where this runs in the explainer.');
  });

  test('hovering the name says where it runs, links the deployment file that sets the worker count, and the explainer', async () => {
    const line = lineOf(MAIN, 'def get_settings');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: main }, position: { line, character: 6 } });
    const value = (hover!.contents as MarkupContent).value;
    assert.match(value, /^\*\*Where `get_settings` runs\*\* · Interleave/);
    assert.match(value, /once per worker \(`@lru_cache`\) × 4 · gunicorn\.conf\.py:1/);
    assert.match(value, /Each worker process \(\[gunicorn\.conf\.py:1\]\(file:\/\/.*gunicorn\.conf\.py#L1\)\) runs it once and keeps its own copy/);
    assert.match(value, /\[Show in the explainer\]\(command:interleave\.whereDoesThisRun\?/);
  });

  test('answers where any function runs, with the chain from the entry point', async () => {
    const line = lineOf(MAIN, 'def summarize');
    const position: CodePosition = { uri: main, position: { line: line + 1, character: 8 } };
    const contexts = (await client.connection.sendRequest(WHERE_DOES_THIS_RUN_REQUEST, position)) as CodeContexts;
    assert.equal(contexts.subject, '`summarize`');
    assert.deepEqual(contexts.lines, ['per request · event loop · GET /dashboard']);
    assert.deepEqual(
      contexts.contexts[0]!.chain.map((link) => [link.label, link.uri, link.range.start.line]),
      [
        ['GET /dashboard', main, lineOf(MAIN, 'async def dashboard')],
        ['summarize()', main, lineOf(MAIN, 'return summarize(')],
      ],
    );
    assert.deepEqual(contexts.workers, { count: 4, source: { uri: uriOf(join(root, 'gunicorn.conf.py')), range: contexts.workers!.source!.range } });
  });

  test('honours interleave.contextLens live: off removes the lenses, all adds every function with its chain, and the editor is asked to fetch them again', async () => {
    await lenses(main);
    let refreshes = client.lensRefreshes;
    client.settings = { contextLens: 'off' };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    await refreshedLenses(main, refreshes, (current) => current.length === 0, 'no lenses');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: main }, position: { line: lineOf(MAIN, 'def get_settings'), character: 6 } });
    assert.equal(hover, null, 'no lens, no hover');

    refreshes = client.lensRefreshes;
    client.settings = { contextLens: 'all' };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    const onHelper = (current: readonly CodeLens[]) => current.filter((lens) => lens.range.start.line === lineOf(MAIN, 'def summarize'));
    const summarize = onHelper(await refreshedLenses(main, refreshes, (current) => onHelper(current).length > 0, 'a lens on every function'));
    assert.deepEqual(
      summarize.map((lens) => [lens.command!.title, lens.command!.tooltip]),
      [['per request · event loop · GET /dashboard', 'per request · event loop · GET /dashboard: GET /dashboard → summarize()\nClick to see where this runs in the explainer.']],
      'a helper’s lens, its tooltip the chain',
    );
    const chain = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: main }, position: { line: lineOf(MAIN, 'def summarize'), character: 6 } });
    assert.ok(
      (chain!.contents as MarkupContent).value.includes(
        `- per request · event loop · GET /dashboard  \n  [GET /dashboard](${main}#L${lineOf(MAIN, 'async def dashboard') + 1}) → [\`summarize()\`](${main}#L${lineOf(MAIN, 'return summarize(') + 1})`,
      ),
      (chain!.contents as MarkupContent).value,
    );
    refreshes = client.lensRefreshes;
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    await refreshedLenses(main, refreshes, (current) => onHelper(current).length === 0, 'the default lenses');
  });

  test('follows edits: a lens request after a keystroke answers for that version', async () => {
    const line = lineOf(MAIN, '@app.get("/export")');
    client.change(main, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n' }]);
    const moved = titlesByLine(await lenses(main));
    assert.deepEqual(moved.get(line + 1), ['per request · threadpool (40 threads) · GET /export']);
    client.change(main, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }]);
    assert.deepEqual(titlesByLine(await lenses(main)).get(line), ['per request · threadpool (40 threads) · GET /export']);
  });
});
