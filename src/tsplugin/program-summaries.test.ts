import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { DEFAULT_EDITOR_SETTINGS } from '../server/editor-settings';
import { pathToUri } from '../server/document-uri';
import { ProjectContext } from '../server/project-context';
import { TypeScriptProjects } from '../typescript/program';
import { ProgramSummaries } from './program-summaries';

const SHOP = join(__dirname, '..', '..', 'examples', 'express-shop');
const ORDERS = join(SHOP, 'src', 'routes', 'orders.ts');

/** A plugin's view of examples/express-shop, and the summaries a request for orders.ts made. */
function afterRequestForOrders() {
  const context = new ProjectContext(pathToUri(SHOP), SHOP, 'express-shop', false, DEFAULT_EDITOR_SETTINGS);
  const project = new TypeScriptProjects((path) => context.moduleName(path)).forFile(ORDERS)!;
  const orders = project.program.getSourceFile(ORDERS)!;
  const summaries = new ProgramSummaries(ts, context);
  summaries.record(orders, project.analyzeSourceFile(orders, context.moduleName(ORDERS)));
  summaries.summarizeImports(project, orders);
  const summarized = () => [...(context.projectFacts().contextSummaries?.keys() ?? [])].sort();
  return { summaries, summarized, program: project.program };
}

describe('the plugin’s summaries of a Program', () => {
  it('summarises on a request only the file asked about and the files it imports, not the rest of the project', () => {
    const { summarized } = afterRequestForOrders();
    assert.deepEqual(summarized(), ['src/config', 'src/db', 'src/routes/orders', 'src/services/invoices', 'src/services/mailer', 'src/services/payments']);
  });

  it('summarises the rest of the Program between requests, in slices that stop at their deadline', () => {
    const { summaries, summarized, program } = afterRequestForOrders();
    const onRequest = summarized();
    assert.equal(summaries.summarizeSlice(performance.now() - 1), true, 'files are left');
    assert.deepEqual(summarized(), onRequest, 'a slice past its deadline summarises nothing');
    while (summaries.summarizeSlice(performance.now() + 1000));
    const sources = program.getSourceFiles().filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file));
    assert.equal(summarized().length, sources.length, 'every source file of the Program');
    assert.ok(summarized().includes('src/routes/cart'));
    assert.equal(summaries.summarizeSlice(performance.now() + 1000), false, 'nothing is left once the walk is done');
  });
});
