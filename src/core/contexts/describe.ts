import type { WorkerSetting } from '../hazard';
import { CONTEXT_LABELS, type Witness } from './kinds';

/** The chain in a message: `` `POST /chat` → `summarize()` → `load_prompt()` ``. */
export function witnessChain(witness: Witness): string {
  const { label } = witness.entry;
  return [label.includes('`') ? label : `\`${label}\``, ...witness.steps.map((step) => `\`${step.call}()\``)].join(' → ');
}

/** `, reached from `POST /chat` → `summarize()`` — or nothing when the code is the entry point itself. */
export function reachedFrom(witness: Witness | undefined): string {
  return witness && witness.steps.length > 0 ? `, reached from ${witnessChain(witness)}` : '';
}

/**
 * One line for the lens and `interleave contexts`: `per request · event loop · POST /chat`,
 * `once per worker, at import × 4 · gunicorn.conf.py:4`, `not served · Typer command \`seed\``.
 */
export function contextLine(witness: Witness, workers?: WorkerSetting): string {
  const label = CONTEXT_LABELS[witness.kind];
  if (witness.kind === 'import' || witness.kind === 'once-per-worker') {
    if (!workers) return label;
    const where = workers.source ? ` · ${workers.source.path.replace(/^.*[\\/]/, '')}:${workers.source.range.start.line + 1}` : '';
    return `${label} × ${workers.description ?? workers.count}${where}`;
  }
  if (witness.kind === 'request-threadpool') return `${label} (40 threads) · ${witness.entry.label}`;
  return `${label} · ${witness.entry.label}`;
}
