import type { Hazard } from '../core/hazard';

export interface RuleCount {
  code: string;
  name: string;
  count: number;
}

/** Hazards per rule, most frequent first (ties by code), like `ruff check --statistics`. */
export function countByRule(hazards: readonly Hazard[]): RuleCount[] {
  const counts = new Map<string, RuleCount>();
  for (const hazard of hazards) {
    const entry = counts.get(hazard.code) ?? { code: hazard.code, name: hazard.name, count: 0 };
    entry.count++;
    counts.set(hazard.code, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

export function formatRuleCounts(counts: readonly RuleCount[]): string {
  const width = Math.max(1, ...counts.map((entry) => String(entry.count).length));
  return counts.map((entry) => `${String(entry.count).padStart(width)}  ${entry.code}  ${entry.name}\n`).join('');
}

export interface Throughput {
  files: number;
  lines: number;
  seconds: number;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatThroughput({ files, lines, seconds }: Throughput): string {
  const rate = (count: number) => grouped.format(seconds > 0 ? count / seconds : count);
  return (
    `Checked ${grouped.format(files)} ${files === 1 ? 'file' : 'files'} (${grouped.format(lines)} lines) ` +
    `in ${seconds.toFixed(2)} s: ${rate(files)} files/s, ${rate(lines)} lines/s.\n`
  );
}
