import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, type Settings } from '../core/config';
import { parseJsonSettings, parseTomlSettings } from '../core/config-file';
import type { RuleMeta } from '../core/rule';
import { readBoundedFile } from './source-file';

/** A configuration file larger than this is not read: no real pyproject.toml or package.json comes near it. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Settings read from a configuration file, and where they came from. */
export interface LoadedSettings {
  settings: Settings;
  /** The file, absolute; undefined when none was found. */
  file?: string;
  /** The directory exclude patterns are relative to: the file's, or the starting directory. */
  directory: string;
}

const CONFIG_FILES = ['interleave.toml', 'pyproject.toml', 'package.json'] as const;

/** Interleave's settings in a configuration file, or undefined when a shared file has no section for it. */
function parseSettings(text: string, file: string, rules: readonly RuleMeta[]): Settings | undefined {
  const name = basename(file);
  if (name === 'package.json') return parseJsonSettings(text, file, rules);
  return parseTomlSettings(text, file, name === 'pyproject.toml' ? 'tool.interleave' : 'root', rules);
}

/** A configuration file's text, read like a source file: only a regular file, and no more than the cap. */
function readConfigText(file: string): string {
  const read = readBoundedFile(file, MAX_CONFIG_BYTES);
  if (read.kind !== 'read') throw new ConfigError(`cannot read configuration: ${read.reason}`, file);
  return read.content.toString('utf8');
}

/**
 * Reads `explicitFile` (`--config`), or else the first configuration found walking up from
 * `startDirectory`: an `interleave.toml`, a `pyproject.toml` with a `[tool.interleave]` table, or a
 * `package.json` with an `"interleave"` object (a pyproject or package.json without one is passed
 * over, as Ruff does). Throws ConfigError for unreadable files, invalid TOML or JSON, unknown keys
 * and bad values.
 */
export function loadSettings(startDirectory: string, rules: readonly RuleMeta[], explicitFile?: string): LoadedSettings {
  if (explicitFile !== undefined) {
    const file = resolve(startDirectory, explicitFile);
    const settings = parseSettings(readConfigText(file), file, rules);
    if (!settings) throw new ConfigError(basename(file) === 'package.json' ? 'has no "interleave" section' : 'has no [tool.interleave] table', file);
    return { settings, file, directory: dirname(file) };
  }
  for (let directory = startDirectory; ; directory = dirname(directory)) {
    for (const name of CONFIG_FILES) {
      const file = join(directory, name);
      if (!existsSync(file)) continue;
      const settings = parseSettings(readConfigText(file), file, rules);
      if (settings) return { settings, file, directory };
    }
    if (dirname(directory) === directory) return { settings: {}, directory: startDirectory };
  }
}
