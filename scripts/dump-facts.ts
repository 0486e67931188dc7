// Prints the facts the Python frontend extracts from a file: each function's role and its flow
// graph, block by block. A development aid. Usage: npx tsx scripts/dump-facts.ts file.py
import { readFileSync } from 'node:fs';
import { analyzePython, loadPythonParser } from '../src/python/frontend';

async function main(file: string): Promise<void> {
  await loadPythonParser();
  const { facts } = analyzePython(readFileSync(file, 'utf8'), file, 'module');
  for (const fn of facts.functions) {
    console.log(fn.id, fn.kind, fn.execution, fn.framework ?? '');
    for (const block of fn.flow.blocks) {
      const edges = block.next.map((edge) => `${edge.to}${edge.branch ? (edge.branch.taken ? 'T' : 'F') : ''}`);
      console.log(`  B${block.id} -> ${edges.join(',')}`);
      for (const event of block.events) {
        const line = 'range' in event ? `L${event.range.start.line + 1}` : '   ';
        const shown = JSON.stringify(event, (key, value) => (['statement', 'range', 'definition', 'calleeRange'].includes(key) ? undefined : value));
        console.log(`    ${line} ${shown}`);
      }
    }
  }
  console.log('state:', facts.state.map((definition) => `${definition.root}:${definition.valueKind ?? '?'}`).join(' '));
}

void main(process.argv[2]!);
