import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzePython } from '../../python/frontend';
import { loadPythonParser } from '../../python/parser';
import { projectFacts, summarizeModule, withModuleSummaries } from '../engine';
import { RULES } from '../../rules';
import { projectContextModel } from '.';
import { ContextModel } from './model';

before(loadPythonParser);

const SERVICES = [
  'import time',
  '',
  '',
  'class Mailer:',
  '    def send(self):',
  '        time.sleep(1)',
  '',
  '',
  'mailer = Mailer()',
  '',
  '',
  'def load():',
  '    return open("x").read()',
  '',
  '',
  'def unused():',
  '    pass',
  '',
].join('\n');

const ROUTER = [
  'from fastapi import APIRouter',
  'from app.services import mailer, load, unused',
  '',
  'router = APIRouter()',
  '',
  '',
  '@router.get("/a")',
  'async def a():',
  '    mailer.send()',
  '',
  '',
  'def helper():',
  '    return load()',
  '',
  '',
  'def other():',
  '    unused()',
  '',
].join('\n');

/** Edits of the services module, each applied to the text the one before left, and whether the project still resolves names as before. */
const EDITS: { name: string; find: string; replace: string; resolvesAlike: boolean }[] = [
  { name: 'a call that now names another project function', find: '        time.sleep(1)', replace: '        load()', resolvesAlike: true },
  { name: 'a call moved along its line', find: '        load()', replace: '        load( )', resolvesAlike: true },
  { name: 'the method the router calls renamed', find: 'def send(self):', replace: 'def sendx(self):', resolvesAlike: false },
  { name: 'the method named back', find: 'def sendx(self):', replace: 'def send(self):', resolvesAlike: false },
  { name: 'a call to a name nothing defines', find: '    pass', replace: '    passx()', resolvesAlike: true },
  { name: 'the instance the router calls through no longer one', find: 'mailer = Mailer()', replace: 'mailer = None', resolvesAlike: false },
];

function summaries(path: string, moduleName: string, text: string) {
  return summarizeModule(analyzePython(text, path, moduleName), RULES);
}

/** Every answer a model gives about the project's functions, modules and callees. */
function answers(model: ContextModel, callees: readonly string[], functions: readonly { moduleName: string; id: string }[]): unknown {
  return {
    functions: functions.map(({ moduleName, id }) => ({
      contexts: model.contextsOf(moduleName, id),
      verdict: model.loopVerdict(moduleName, id),
      unresolved: model.mayRunUnresolved(moduleName, id),
      notServed: model.notServed(moduleName, id),
    })),
    modules: ['app.services', 'app.router'].map((moduleName) => model.moduleContextsOf(moduleName)),
    callees: callees.map((callee) => model.functionCalled(callee)),
  };
}

describe('a project model built with the resolutions of the one before', () => {
  it('answers as a model built from scratch after each edit, and shares resolutions only while names resolve alike', () => {
    const base = projectFacts([summaries('/p/app/services.py', 'app.services', SERVICES), summaries('/p/app/router.py', 'app.router', ROUTER)]);
    let previous = projectContextModel(base, 'app.services')!;
    let text = SERVICES;
    for (const { name, find, replace, resolvesAlike } of EDITS) {
      assert.ok(text.includes(find), `${name}: \`${find}\` is in the text`);
      text = text.replace(find, replace);
      const project = withModuleSummaries(base, summaries('/p/app/services.py', 'app.services', text));
      const model = projectContextModel(project, 'app.services')!;
      const fresh = new ContextModel(project.contextSummaries!.values());
      const summariesNow = [...project.contextSummaries!.values()];
      const functions = summariesNow.flatMap((summary) => summary.functions.map((fn) => ({ moduleName: summary.moduleName, id: fn.id })));
      const callees = summariesNow.flatMap((summary) => [...summary.importCalls, ...summary.functions.flatMap((fn) => fn.calls)].flatMap((call) => call.callee ?? []));
      assert.deepEqual(answers(model, callees, functions), answers(fresh, callees, functions), `answers after ${name}`);
      assert.equal(model.resolutions === previous.resolutions, resolvesAlike, `resolutions shared after ${name}`);
      previous = model;
    }
  });
});
