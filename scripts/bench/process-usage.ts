/**
 * Preloaded (`node --require`) into each process the benchmark times: when the process exits it
 * writes its own resource usage to the file named by BENCH_USAGE_FILE. Node reports a child's
 * exit code but not its peak memory, and `/usr/bin/time` is not on every machine; a process's own
 * `maxRSS` covers its worker threads too.
 */
import { writeFileSync } from 'node:fs';

export const USAGE_FILE_VARIABLE = 'BENCH_USAGE_FILE';

export interface ProcessUsage {
  /** Peak resident set size, in kilobytes. */
  maxRssKb: number;
  userMs: number;
  systemMs: number;
}

const target = process.env[USAGE_FILE_VARIABLE];
if (target !== undefined) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report: ProcessUsage = { maxRssKb: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 };
    writeFileSync(target, JSON.stringify(report));
  });
}
