import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { WorkerSetting } from '../core/hazard';
import {
  isDevelopmentPath,
  parseCompose,
  parseDockerfile,
  parseGunicornConfig,
  parseKubernetes,
  parseProcfile,
  parseShellScript,
  parseUvicornRun,
  workerSettingFrom,
  type DeploymentFileFacts,
  type DeploymentFileReading,
} from './deployment-parsers';

/** Directories that never hold the project's own deployment files. */
const SKIPPED_DIRECTORIES = new Set([
  '.git', '.hg', '.svn', '.venv', 'venv', 'env', '.env', '.tox', '.nox', 'node_modules', 'site-packages', '__pycache__',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', 'build', 'dist', 'out', '.eggs', '.idea', '.vscode',
]);
const MAX_DEPTH = 3;
const MAX_ENTRIES = 20_000;
const MAX_FILE_SIZE = 1024 * 1024;

type Reader = (text: string) => DeploymentFileFacts;

/** Which reader a file needs, by its name; Python and YAML files are confirmed by their content. */
function readerFor(name: string, depth: number): { reader: Reader; mustContain?: RegExp } | undefined {
  if (/^gunicorn([._-]?(conf|config|cfg))?\.py$/i.test(name)) return { reader: parseGunicornConfig };
  if (/^(Dockerfile|Containerfile)(\.[\w.-]+)?$/.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name)) return { reader: parseDockerfile };
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name)) return { reader: parseCompose };
  if (/^Procfile(\.[\w-]+)?$/.test(name)) return { reader: parseProcfile };
  if (/\.(sh|bash)$/.test(name) || /^(entrypoint|start|run|serve|docker-entrypoint)$/.test(name)) return { reader: parseShellScript };
  if (/\.py$/.test(name) && depth <= 2) return { reader: parseUvicornRun, mustContain: /\buvicorn\s*\.\s*(run|Config)\s*\(/ };
  if (/\.ya?ml$/i.test(name)) return { reader: parseKubernetes, mustContain: /^kind:\s*(Deployment|StatefulSet|ReplicaSet|DeploymentConfig|HorizontalPodAutoscaler)\b/m };
  return undefined;
}

/**
 * Reads the deployment files under `rootDir` (to a depth of three directories): gunicorn config
 * files, Dockerfiles, compose files, Procfiles, shell scripts, Python files that call
 * `uvicorn.run`, and Kubernetes manifests. Unreadable or unparsable files are skipped.
 */
export function readDeploymentFiles(rootDir: string): DeploymentFileReading[] {
  const readings: DeploymentFileReading[] = [];
  let entries = 0;
  const visit = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (++entries > MAX_ENTRIES) return;
      const path = join(dir, name);
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (stats.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED_DIRECTORIES.has(name) && !name.endsWith('.egg-info')) visit(path, depth + 1);
        continue;
      }
      const found = stats.isFile() && stats.size <= MAX_FILE_SIZE ? readerFor(name, depth) : undefined;
      if (!found) continue;
      try {
        const text = readFileSync(path, 'utf8');
        if (found.mustContain && !found.mustContain.test(text)) continue;
        readings.push({ path, facts: found.reader(text), development: isDevelopmentPath(relative(rootDir, path)) });
      } catch {
        // A file that cannot be read or parsed says nothing about the deployment.
      }
    }
  };
  visit(rootDir, 0);
  return readings;
}

/**
 * The worker/process count the project under `rootDir` is deployed with, read from its
 * deployment files, with the file, line and text that set it; undefined when no file says.
 * For the CLI and the language server: pass the result as `ProjectFacts.workers`.
 */
export function detectWorkers(rootDir: string): WorkerSetting | undefined {
  return workerSettingFrom(readDeploymentFiles(rootDir));
}

/** The user's `workers` setting when there is one (it overrides detection), else what the deployment files say. */
export function projectWorkers(rootDir: string, configuredWorkers?: number): WorkerSetting | undefined {
  return configuredWorkers !== undefined ? { count: configuredWorkers } : detectWorkers(rootDir);
}
