// Rebuilds the trees of the real-code evaluation from bare git snapshots (the layout `fetch`
// leaves: `<snapshots>/<owner>+<name>/repo`, or a bare repository at `<snapshots>/<owner>+<name>`).
// The apps' code is never committed here: only their names, commits and the labels.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RealApp {
  name: string;
  /** `owner/name` on GitHub. */
  repo: string;
  commit: string;
  language: 'python' | 'typescript';
  /** The served code, relative to the repository's root: what `interleave check` is given. */
  paths: string[];
  what: string;
  /**
   * Added after the tuning, as a check on it: the date it was added. Its figures are reported
   * apart, and no change is tuned on it.
   */
  fresh?: string;
}

export function readApps(): RealApp[] {
  return (JSON.parse(readFileSync(join(__dirname, 'apps.json'), 'utf8')) as { apps: RealApp[] }).apps;
}

/** The bare git directory of an app's snapshot under `snapshots`, or undefined when absent. */
export function snapshotOf(snapshots: string, app: RealApp): string | undefined {
  const base = join(snapshots, app.repo.replace('/', '+'));
  for (const dir of [join(base, 'repo'), base]) if (existsSync(join(dir, 'HEAD'))) return dir;
  return undefined;
}

// Besides the served code, what tells how the app is deployed and configured.
const DEPLOYMENT = /(^|\/)(Dockerfile[^/]*|[^/]*\.dockerfile|docker-compose[^/]*\.ya?ml|compose[^/]*\.ya?ml|Procfile[^/]*|gunicorn[^/]*\.py|[^/]*\.sh|Makefile|pyproject\.toml|package\.json|tsconfig[^/]*\.json|ecosystem\.config\.[cm]?js|[^/]*\.service)$/;
const SOURCE = /\.(py|pyi|ts|tsx|mts|cts|js|jsx|mjs|cjs|json|toml|ya?ml|cfg|ini|txt|md)$/;
const MAX_BYTES = 2 * 1024 * 1024;

/**
 * Writes the app's tree at its pinned commit into `dir`: the files under its paths and the
 * deployment and configuration files anywhere, skipping blobs the snapshot lacks (it keeps no
 * file of 4 MiB or more). Returns the number of files written.
 */
export async function rebuildTree(gitDir: string, app: RealApp, dir: string): Promise<number> {
  const listing = execFileSync('git', ['-C', gitDir, 'ls-tree', '-r', '-z', '--long', app.commit], { maxBuffer: 1 << 28 }).toString('utf8');
  const wanted: { blob: string; path: string }[] = [];
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\s+(\d+|-)\t(.*)$/s.exec(entry);
    if (!match || match[1] === '120000') continue;
    const [, , blob, size, path] = match;
    if (Number(size) > MAX_BYTES || path!.includes('node_modules/')) continue;
    const served = app.paths.some((root) => path!.startsWith(`${root}/`)) && SOURCE.test(path!);
    if (served || DEPLOYMENT.test(path!)) wanted.push({ blob: blob!, path: path! });
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const contents = await catBlobs(gitDir, wanted.map((file) => file.blob));
  let written = 0;
  for (const file of wanted) {
    const content = contents.get(file.blob);
    if (!content) continue;
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written++;
  }
  return written;
}

/** Reads blobs through one `git cat-file --batch`; a blob the snapshot lacks is left out. */
function catBlobs(gitDir: string, blobs: readonly string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      const found = new Map<string, Buffer>();
      let at = 0;
      while (at < out.length) {
        const newline = out.indexOf(10, at);
        const header = out.subarray(at, newline).toString('utf8').split(' ');
        at = newline + 1;
        if (header[1] === 'missing') continue;
        const size = Number(header[2]);
        found.set(header[0]!, out.subarray(at, at + size));
        at += size + 1;
      }
      resolve(found);
    });
    child.stdin.end(blobs.map((blob) => `${blob}\n`).join(''));
  });
}
