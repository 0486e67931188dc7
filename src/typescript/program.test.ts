import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { resolveConfig } from '../core/config';
import { checkModule } from '../core/engine';
import { RULES } from '../rules';
import { ModuleNamer } from '../workspace/module-root';
import { runCli } from '../../test/support/cli';
import { TypeScriptProject } from './program';

const PROJECT = join(__dirname, '..', '..', 'test', 'fixtures', 'projects', 'typescript-program');

/** `path:line code` for each `// expect: IL403` marker of the project's sources. */
function markers(file: string): string[] {
  return readFileSync(join(PROJECT, file), 'utf8')
    .split('\n')
    .flatMap((text, index) => {
      const match = /\/\/ expect: (IL\d{3})/.exec(text);
      return match ? [`${file}:${index + 1} ${match[1]}`] : [];
    });
}

describe('TypeScript with a tsconfig.json', () => {
  it('resolves `paths` imports across files and finds floating promises by their type', async () => {
    const run = await runCli(['check', '.', '--format', 'json', '--exit-zero'], { cwd: PROJECT });
    assert.equal(run.status, 0, run.stderr);
    const hazards = JSON.parse(run.stdout) as { code: string; filename: string; location: { row: number } }[];
    const found = hazards.map((hazard) => `${relative(PROJECT, hazard.filename)}:${hazard.location.row} ${hazard.code}`).sort();
    assert.deepEqual(found, markers('src/routes/checkout.ts').sort());
  });
});

describe('TypeScript facts from a Program the host already has', () => {
  it('analyses a source file of a Program built elsewhere, as the tsserver plugin would', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(PROJECT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const namer = new ModuleNamer();
    const project = new TypeScriptProject(ts, program, (path) => namer.moduleName(path));
    const file = join(PROJECT, 'src', 'routes', 'checkout.ts');
    const module = project.analyzeSourceFile(program.getSourceFile(file)!, namer.moduleName(file));
    const config = resolveConfig([{ select: ['IL403'] }], RULES.map((rule) => rule.meta));
    const report = checkModule(module, { rules: RULES, config, project: {} });
    assert.deepEqual(report.hazards.map((hazard) => `${hazard.code}:${hazard.range.start.line + 1}`), ['IL403:5']);
  });
});
