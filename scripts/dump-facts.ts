import { readFileSync } from 'node:fs';
import { analyzePython, loadPythonParser } from '../src/python/frontend';
(async () => {
  await loadPythonParser();
  const file = process.argv[2]!;
  const { facts } = analyzePython(readFileSync(file, 'utf8'), file, 'seed');
  for (const fn of facts.functions) {
    console.log(fn.id, fn.kind, fn.execution, fn.framework);
    for (const b of fn.flow.blocks) {
      console.log(`  B${b.id} -> ${b.next.map((e) => e.to + (e.branch ? (e.branch.taken ? 'T' : 'F') : '')).join(',')}`);
      for (const e of b.events) {
        const { statement: _s, range, ...rest } = e as never as Record<string, unknown> & { range?: { start: { line: number } } };
        console.log('    L' + ((range?.start.line ?? -1) + 1), JSON.stringify(rest, (k, v) => (k === 'definition' ? undefined : v)));
      }
    }
  }
  console.log('state', facts.state.map((s) => s.root + ':' + s.valueKind).join(' '));
})();
