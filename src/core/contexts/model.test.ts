import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeProject } from '../../../test/support/analyze-project';
import { FIXTURES_ROOT } from '../../../test/support/fixture-expectations';

const PROJECT = join(FIXTURES_ROOT, 'projects', 'not-served-names');

describe('execution-context model', () => {
  it('keeps the functions of a module that is not served out of the server, whatever unresolved calls share their names', async () => {
    const reports = await analyzeProject(PROJECT, { settings: { select: ['IL201'] } });
    const seed = reports.get(join(PROJECT, 'app', 'seeds', 'demo.py'))!;
    assert.deepEqual(seed.hazards, []);
  });
});
