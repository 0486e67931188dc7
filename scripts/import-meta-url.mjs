// Injected into the CommonJS bundles by scripts/build.mjs: what `import.meta.url` means there.
/* global __filename */
import { pathToFileURL } from 'node:url';

export const importMetaUrl = pathToFileURL(__filename).href;
