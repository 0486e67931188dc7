import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Language } from '../core/facts';
import type { WorkerSetting } from '../core/hazard';
import type { ProjectFacts } from '../core/rule';
import {
  confirmsKind,
  deploymentKindOf,
  isDevelopmentPath,
  parseNodeCluster,
  parsePm2Commands,
  parsePm2Config,
  readDeploymentFile,
  workerSettingFrom,
  type DeploymentFileFacts,
  type DeploymentFileReading,
} from './deployment-parsers';
import { preloadSettingsFrom } from './deployment-preload';

/** Directories that never hold the project's own deployment files. */
const SKIPPED_DIRECTORIES = new Set([
  '.git', '.hg', '.svn', '.venv', 'venv', 'env', '.env', '.tox', '.nox', 'node_modules', 'site-packages', '__pycache__',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', 'build', 'dist', 'out', '.eggs', '.idea', '.vscode',
]);
const MAX_DEPTH = 3;
const MAX_ENTRIES = 20_000;
const MAX_FILE_SIZE = 1024 * 1024;

/** Reads a file's text; undefined when the content says it is not a deployment file after all. */
type Reader = (text: string) => DeploymentFileFacts | undefined;

/**
 * Which reader a file needs, by its name: Node process managers here, the Python servers' files
 * by `deploymentKindOf`. YAML and source files are confirmed by their content.
 */
function readerFor(name: string, depth: number): { reader: Reader; mustContain?: RegExp } | undefined {
  if (/^(ecosystem\.config\.[cm]?js|ecosystem\.json|pm2\.(json|ya?ml|config\.[cm]?js)|process\.(json|ya?ml))$/.test(name)) return { reader: parsePm2Config };
  if (name === 'package.json' && depth <= 1) return { reader: parsePm2Commands, mustContain: /\bpm2(-runtime)?\s+start\b/ };
  if (/\.[cm]?[jt]s$/.test(name) && !/\.d\.[cm]?ts$/.test(name) && depth <= 2) return { reader: parseNodeCluster, mustContain: /\bcluster\s*\.\s*fork\s*\(/ };
  const kind = deploymentKindOf(name);
  if (!kind || (kind === 'python-launcher' && depth > 2)) return undefined;
  return { reader: (text) => readDeploymentFile(kind, text) };
}

/**
 * Reads the deployment files under `rootDir` (to a depth of three directories): gunicorn config
 * files, Dockerfiles, compose files, Procfiles, Makefiles, shell scripts, Python files that call
 * `uvicorn.run`, Kubernetes manifests, PM2 ecosystem files and `pm2 start -i` scripts, and Node
 * entry points that fork `cluster` workers. Unreadable or unparsable files are skipped.
 *
 * Level by level, so that the files nearest the root — where deployments keep theirs — are read
 * first and the bound on entries (`maxEntries`) cuts the deepest: depth first, a large `app/`
 * used it up before `gunicorn.conf.py` beside it was reached.
 */
export function readDeploymentFiles(rootDir: string, maxEntries = MAX_ENTRIES): DeploymentFileReading[] {
  const readings: DeploymentFileReading[] = [];
  let entries = 0;
  let level = [rootDir];
  for (let depth = 0; level.length > 0 && entries <= maxEntries; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const subdirectories = readLevel(rootDir, dir, depth, readings, () => ++entries > maxEntries);
      if (depth < MAX_DEPTH) next.push(...subdirectories);
    }
    level = next;
  }
  return readings;
}

/** Reads one directory's deployment files into `readings`; returns the subdirectories to visit next. */
function readLevel(rootDir: string, dir: string, depth: number, readings: DeploymentFileReading[], exhausted: () => boolean): string[] {
  const subdirectories: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return subdirectories;
  }
  for (const name of names) {
    if (exhausted()) break;
    const path = join(dir, name);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(name) && !name.endsWith('.egg-info')) subdirectories.push(path);
      continue;
    }
    const found = stats.isFile() && stats.size <= MAX_FILE_SIZE ? readerFor(name, depth) : undefined;
    if (!found) continue;
    try {
      const text = readFileSync(path, 'utf8');
      if (found.mustContain && !found.mustContain.test(text)) continue;
      const facts = found.reader(text);
      if (facts) readings.push({ path, facts, development: isDevelopmentPath(relative(rootDir, path)) });
    } catch {
      // A file that cannot be read or parsed says nothing about the deployment.
    }
  }
  return subdirectories;
}

/** How much of a YAML file is read to tell a Kubernetes manifest from other YAML. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Whether `interleave check` analyses a file as a deployment file: by its name, and for YAML
 * that is not a compose file by its content. Python files are analysed as source, and checked as
 * deployment files too when they are gunicorn configs.
 */
export function isDeploymentFile(path: string): boolean {
  const kind = deploymentKindOf(basename(path));
  if (!kind || kind === 'python-launcher' || kind === 'gunicorn-config') return false;
  if (kind !== 'kubernetes') return true;
  try {
    const descriptor = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const read = readSync(descriptor, buffer, 0, SNIFF_BYTES, 0);
      return confirmsKind(kind, buffer.toString('utf8', 0, read));
    } finally {
      closeSync(descriptor);
    }
  } catch {
    return false;
  }
}

/** How the deployment runs the project's processes: how many, and whether gunicorn forks them from a preloaded app. */
export type ProcessCounts = Pick<ProjectFacts, 'workers' | 'workersByLanguage' | 'preload'>;

const LANGUAGES: readonly Language[] = ['python', 'typescript'];

/**
 * How many processes run the project's code: the user's `workers` setting, which holds for every
 * module, else what the deployment files say, overall and for each language's processes. Whether
 * gunicorn preloads the app is the deployment files' to say, whatever the setting.
 */
function processCounts(deployment: readonly DeploymentFileReading[], configuredWorkers: number | undefined): ProcessCounts {
  const preloadSettings = preloadSettingsFrom(deployment);
  const preload = preloadSettings.length > 0 ? { preload: preloadSettings } : {};
  if (configuredWorkers !== undefined) return { workers: { count: configuredWorkers }, ...preload };
  const workers = workerSettingFrom(deployment);
  if (!workers) return preload;
  const workersByLanguage: Partial<Record<Language, WorkerSetting>> = {};
  for (const language of LANGUAGES) {
    const setting = workerSettingFrom(deployment, language);
    if (setting) workersByLanguage[language] = setting;
  }
  return { workers, workersByLanguage, ...preload };
}

/** The user's `workers` setting when there is one (it overrides detection), else what the deployment files say; and their preload settings. */
export function projectWorkers(rootDir: string, configuredWorkers?: number): ProcessCounts {
  return processCounts(readDeploymentFiles(rootDir), configuredWorkers);
}

/**
 * What the project's deployment tells the rules: its deployment files, read once, and the worker
 * counts (the user's `workers` setting, else what those files say).
 */
export function projectDeployment(rootDir: string, configuredWorkers?: number): DeploymentProjectFacts {
  return deploymentProjectFacts(readDeploymentFiles(rootDir), configuredWorkers);
}

export type DeploymentProjectFacts = Pick<ProjectFacts, 'workers' | 'workersByLanguage' | 'preload' | 'deployment'>;

/** What deployment files already read tell the rules: the files, the worker counts and the preload settings. */
export function deploymentProjectFacts(deployment: readonly DeploymentFileReading[], configuredWorkers?: number): DeploymentProjectFacts {
  return { ...processCounts(deployment, configuredWorkers), deployment };
}
