import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError, type Settings } from '../core/config';
import { parseTomlSettings } from '../core/config-file';
import type { RuleMeta } from '../core/rule';

/** Settings read from a configuration file, and where they came from. */
export interface LoadedSettings {
  settings: Settings;
  /** The file, absolute; undefined when none was found. */
  file?: string;
  /** The directory exclude patterns are relative to: the file's, or the starting directory. */
  directory: string;
}

const CONFIG_FILES = ['interleave.toml', 'pyproject.toml'] as const;

function sectionOf(file: string): 'tool.interleave' | 'root' {
  return basename(file) === 'pyproject.toml' ? 'tool.interleave' : 'root';
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration: ${(error as Error).message}`, file);
  }
}

/**
 * Reads `explicitFile` (`--config`), or else the first configuration found walking up from
 * `startDirectory`: an `interleave.toml`, or a `pyproject.toml` with a `[tool.interleave]` table
 * (a pyproject without one is passed over, as Ruff does). Throws ConfigError for unreadable
 * files, invalid TOML, unknown keys and bad values.
 */
export function loadSettings(startDirectory: string, rules: readonly RuleMeta[], explicitFile?: string): LoadedSettings {
  if (explicitFile !== undefined) {
    const file = resolve(startDirectory, explicitFile);
    const settings = parseTomlSettings(readConfigText(file), file, sectionOf(file), rules);
    if (!settings) throw new ConfigError('has no [tool.interleave] table', file);
    return { settings, file, directory: dirname(file) };
  }
  for (let directory = startDirectory; ; directory = dirname(directory)) {
    for (const name of CONFIG_FILES) {
      const file = join(directory, name);
      if (!existsSync(file)) continue;
      const settings = parseTomlSettings(readConfigText(file), file, sectionOf(file), rules);
      if (settings) return { settings, file, directory };
    }
    if (dirname(directory) === directory) return { settings: {}, directory: startDirectory };
  }
}
