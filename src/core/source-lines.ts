import type { ModuleFacts } from './facts';

const cache = new WeakMap<ModuleFacts, readonly string[]>();

/** The module's source split into lines, once per module however many findings ask. */
export function sourceLines(module: ModuleFacts): readonly string[] {
  let lines = cache.get(module);
  if (!lines) {
    lines = module.source.split(/\r?\n|\r/);
    cache.set(module, lines);
  }
  return lines;
}
