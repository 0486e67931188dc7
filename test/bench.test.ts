import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { generateProject } from '../scripts/bench/fastapi-project';
import { makeProject, runCli } from './support/cli';

/** The benchmark's workload: generated FastAPI code is only a fair measure if it is stable and what it claims to be. */
describe('the benchmark project generator', () => {
  it('writes the same files for the same seed and size', () => {
    const first = generateProject({ lines: 5_000, seed: 7 });
    const second = generateProject({ lines: 5_000, seed: 7 });
    assert.deepEqual(second, first);
    assert.notDeepEqual(generateProject({ lines: 5_000, seed: 8 }).files, first.files);
  });

  it('reaches the requested size, and grows one router to the editor benchmark size when asked', () => {
    const project = generateProject({ lines: 5_000, seed: 1, largeRouterLines: 2_000 });
    assert.ok(project.lines >= 5_000);
    assert.equal(project.lines, project.files.reduce((sum, file) => sum + file.text.split('\n').length - 1, 0));
    const router = project.files.find((file) => file.path === 'app/domains/invoices_0/router.py')!;
    assert.ok(router.text.split('\n').length - 1 >= 2_000);
  });

  it('plants hazards that Interleave reports, and nothing else', async () => {
    const project = generateProject({ lines: 6_000, seed: 3 });
    const root = makeProject(Object.fromEntries(project.files.map((file) => [file.path, file.text])));
    const run = await runCli(['check', '.', '--format', 'json', '--exit-zero', '--threads', '1'], { cwd: root });
    assert.equal(run.stderr, '');
    const found = (JSON.parse(run.stdout) as { code: string; filename: string; location: { row: number } }[])
      .map((hazard) => `${relative(root, hazard.filename).split('\\').join('/')}:${hazard.location.row} ${hazard.code}`)
      .sort();
    const planted = project.planted.map((hazard) => `${hazard.path}:${hazard.line} ${hazard.code}`).sort();
    assert.deepEqual(found, planted);
    assert.deepEqual(
      [...new Set(project.planted.map((hazard) => hazard.code))].sort(),
      ['IL101', 'IL103', 'IL105', 'IL201', 'IL202', 'IL302', 'IL401'],
      'every kind of hazard the generator knows is planted at this size',
    );
  });
});
