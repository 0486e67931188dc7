/**
 * The real-code workload: the served code of every Python app of the real-code evaluation
 * (test/evaluation/real/apps.json), checked in one run, from the trees `npm run eval:real --
 * --snapshots DIR` rebuilds. Without them the workload is skipped, saying why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readApps } from '../../test/evaluation/real/snapshots';

export interface RealAppsWorkload {
  name: string;
  /** Where the check runs: the trees' directory. */
  directory: string;
  /** Each app's served paths, as `eval:real` checks them. */
  paths: string[];
}

/** The workload, or why there is none. */
export function realPythonApps(trees: string): RealAppsWorkload | { missing: string } {
  // The ten apps of every earlier run: the fresh ones would make the workload incomparable.
  const apps = readApps().filter((app) => app.language === 'python' && !app.fresh);
  const paths = apps.flatMap((app) => app.paths.map((path) => join(trees, app.name, path)));
  const absent = paths.filter((path) => !existsSync(path));
  if (absent.length > 0) {
    return { missing: `${absent.length} of the ${paths.length} served paths of the real Python apps are not under ${trees} (first: ${absent[0]}); rebuild them with \`npm run eval:real -- --snapshots DIR\`` };
  }
  return { name: `real Python (${apps.length} apps)`, directory: trees, paths };
}
