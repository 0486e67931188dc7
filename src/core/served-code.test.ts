import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from '../rules';
import { loadFrontends, parseSource } from '../workspace/analyze';
import { contextModelOf } from './contexts';
import { projectFacts, summarizeModule, type ParsedModule } from './engine';
import { servedCode, servesNothing } from './served-code';

const MODULES: Record<string, string> = {
  'app.api': 'from fastapi import FastAPI\nfrom app.cli.helpers import shared\n\napp = FastAPI()\n\n@app.get("/")\nasync def index():\n    return shared()\n',
  'app.cli.helpers': 'def shared():\n    return 1\n\ndef only_cli():\n    return 2\n',
  'app.cli.main': 'from app.cli.helpers import only_cli\n\ndef main():\n    only_cli()\n\nmain()\n',
  'app.tests.test_api': 'def test_index():\n    assert True\n',
};

async function project(names: readonly string[]): Promise<{ modules: Map<string, ParsedModule>; facts: ReturnType<typeof projectFacts> }> {
  await loadFrontends();
  const modules = new Map(names.map((name) => [name, parseSource(`/project/${name.replaceAll('.', '/')}.py`, MODULES[name]!, name)!]));
  return { modules, facts: projectFacts([...modules.values()].map((module) => summarizeModule(module, RULES))) };
}

describe('servesNothing', () => {
  it('holds for a module whose every function and top-level code runs outside the server, and agrees with servedCode', async () => {
    const { modules, facts } = await project(Object.keys(MODULES));
    const ids = (name: string) => modules.get(name)!.facts.functions.map((fn) => fn.id);
    const nothing = Object.keys(MODULES).filter((name) => servesNothing(facts, name, ids(name)));
    assert.deepEqual(nothing, ['app.cli.main', 'app.tests.test_api']);
    for (const [name, module] of modules) {
      const served = servedCode(module.facts, contextModelOf(facts, module.facts));
      const anywhere = module.facts.functions.some((fn) => served(fn.range)) || served({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      assert.equal(anywhere, !nothing.includes(name), name);
    }
  });

  it('never holds for a module the project has not summarised', async () => {
    const { modules, facts } = await project(['app.api', 'app.cli.helpers']);
    assert.equal(servesNothing(facts, 'app.cli.main', []), false);
    assert.equal(servesNothing(facts, 'app.cli.helpers', modules.get('app.cli.helpers')!.facts.functions.map((fn) => fn.id)), false);
  });
});
