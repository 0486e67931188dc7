import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import ts from 'typescript';
import { DEFAULT_EDITOR_SETTINGS } from '../server/editor-settings';
import { pathToUri } from '../server/document-uri';
import { ProjectContext } from '../server/project-context';
import { TypeScriptProjects } from '../typescript/program';
import { ProgramSummaries } from './program-summaries';

/** A route reaching a blocking call through two other modules, and a module nothing imports. */
const CHAIN_PROJECT: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src'] }),
  'src/routes.ts': "import { helper } from './helper.js';\nexport async function handler() {\n  return helper();\n}\n",
  'src/helper.ts': "import { readConfig } from './config.js';\nexport function helper() {\n  return readConfig();\n}\n",
  'src/config.ts': "import { readFileSync } from 'node:fs';\nexport function readConfig() {\n  return readFileSync('config.json', 'utf8');\n}\n",
  'src/unrelated.ts': 'export function other() {\n  return 1;\n}\n',
};

describe('the plugin’s summaries of a Program', () => {
  const root = mkdtempSync(join(tmpdir(), 'interleave-summaries-'));
  for (const [path, text] of Object.entries(CHAIN_PROJECT)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  after(() => rmSync(root, { recursive: true, force: true }));

  /** The summaries a request for src/routes.ts made. */
  function afterRequestForRoutes() {
    const context = new ProjectContext(pathToUri(root), root, 'chain', false, DEFAULT_EDITOR_SETTINGS);
    const routes = join(root, 'src', 'routes.ts');
    const project = new TypeScriptProjects((path) => context.moduleName(path)).forFile(routes)!;
    const sourceFile = project.program.getSourceFile(routes)!;
    const summaries = new ProgramSummaries(ts, context, () => undefined);
    summaries.record(sourceFile, project.analyzeSourceFile(sourceFile, context.moduleName(routes)));
    summaries.summarizeImports(project, sourceFile);
    const summarized = () => [...(context.projectFacts().contextSummaries?.keys() ?? [])].sort();
    return { summaries, summarized };
  }

  it('summarises on a request only the file asked about and the files it imports, not the rest of the project', () => {
    assert.deepEqual(afterRequestForRoutes().summarized(), ['src/helper', 'src/routes']);
  });

  it('summarises what those files import between requests, in slices that stop at their deadline, and never files the open one does not reach', () => {
    const { summaries, summarized } = afterRequestForRoutes();
    assert.equal(summaries.summarizeSlice(performance.now() - 1), true, 'files are left');
    assert.deepEqual(summarized(), ['src/helper', 'src/routes'], 'a slice past its deadline summarises nothing');
    while (summaries.summarizeSlice(performance.now() + 1000));
    assert.deepEqual(summarized(), ['src/config', 'src/helper', 'src/routes']);
    assert.equal(summaries.summarizeSlice(performance.now() + 1000), false, 'nothing is left once the walk is done');
  });
});
