import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as ts from 'typescript';

/** The TypeScript compiler API as a value: the frontend works with whichever copy it is given. */
export type TypeScriptApi = typeof ts;

let loaded: TypeScriptApi | undefined;

/**
 * The TypeScript compiler, loaded on first use. The build copies it beside the bundles
 * (`dist/typescript/`, together with the `lib.*.d.ts` files a Program needs) rather than inlining
 * it, so that bundles which never meet a TypeScript file do not carry its 9 MB; from source it is
 * the installed package. A host that already has the compiler (the tsserver plugin) passes its own
 * copy to `extractTypeScriptFacts` instead: syntax kinds differ between compiler versions.
 */
export function loadTypeScript(): TypeScriptApi {
  loaded ??= loadBundledOrInstalled();
  return loaded;
}

function loadBundledOrInstalled(): TypeScriptApi {
  const load = createRequire(__filename);
  const bundled = join(__dirname, 'typescript', 'typescript.js');
  return load(existsSync(bundled) ? bundled : 'typescript') as TypeScriptApi;
}
