import type { ParsedModule } from '../core/engine';
import type { ModuleFacts } from '../core/facts';
import { PythonFixBuilder } from './fixes';

/**
 * A parsed Python module as plain data: its facts and the lines its fixes must leave alone. It
 * holds no syntax tree and no class instance, so a batch can keep it as bytes between its passes
 * and make it a ParsedModule again, fixes included, without parsing the file again.
 */
export interface PythonModuleParts {
  facts: ModuleFacts;
  stringLines: number[];
}

/** Undefined for a module another frontend parsed. */
export function partsOfPythonModule(parsed: ParsedModule): PythonModuleParts | undefined {
  if (!(parsed.fixes instanceof PythonFixBuilder)) return undefined;
  return { facts: parsed.facts, stringLines: [...parsed.fixes.stringLines] };
}

export function pythonModuleOf(parts: PythonModuleParts): ParsedModule {
  return { facts: parts.facts, fixes: new PythonFixBuilder(parts.facts, new Set(parts.stringLines)) };
}
