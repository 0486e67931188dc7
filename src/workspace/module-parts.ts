import type { ParsedModule } from '../core/engine';
import type { ModuleFacts } from '../core/facts';
import { PythonFixBuilder } from '../python/fixes';
import { TypeScriptFixBuilder, type ImportSite } from '../typescript/fixes';

/**
 * A parsed module as plain data: its facts and what its language's fixes read besides them (the
 * lines inside Python's multi-line strings; where a TypeScript import goes). It holds no syntax
 * tree and no class instance, so a batch can keep it as bytes between its passes and make it a
 * ParsedModule again, fixes included, without parsing the file again.
 */
export type ModuleParts =
  | { language: 'python'; facts: ModuleFacts; stringLines: number[] }
  | { language: 'typescript'; facts: ModuleFacts; importSite: ImportSite };

/** Undefined for a module whose fixes are not one of the frontends' own. */
export function partsOfModule(parsed: ParsedModule): ModuleParts | undefined {
  const { facts, fixes } = parsed;
  if (fixes instanceof PythonFixBuilder) return { language: 'python', facts, stringLines: [...fixes.stringLines] };
  if (fixes instanceof TypeScriptFixBuilder) return { language: 'typescript', facts, importSite: fixes.importSite };
  return undefined;
}

export function moduleOf(parts: ModuleParts): ParsedModule {
  const { facts } = parts;
  switch (parts.language) {
    case 'python':
      return { facts, fixes: new PythonFixBuilder(facts, new Set(parts.stringLines)) };
    case 'typescript':
      return { facts, fixes: new TypeScriptFixBuilder(parts.importSite, facts) };
  }
}
