/**
 * What the tsserver plugin, the VS Code extension and the build agree on. Types and constants
 * only: the extension imports this module, and nothing here may pull in the engine.
 */
import type { CodeContexts, ContextLens, ContextLensSetting } from '../server/protocol';

/**
 * The package name tsserver resolves the plugin by: `contributes.typescriptServerPlugins` in the
 * extension's manifest and `compilerOptions.plugins` in a tsconfig.json name it. The build writes a
 * stub package of this name (scripts/build.mjs) whose index loads dist/tsplugin.js.
 */
export const TSSERVER_PLUGIN_NAME = 'interleave-tsserver-plugin';

/**
 * The one diagnostic code every Interleave finding carries in tsserver. TypeScript's own codes are
 * below 20000 and other plugins pick small ranges of their own; this one sits far from both. The
 * rule (`IL101 await-race: …`) starts the message text.
 */
export const INTERLEAVE_ERROR_CODE = 990001;

/** The `fixId` of every safe Interleave fix: `getCombinedCodeFix` with it applies all of them. */
export const FIX_ALL_FIX_ID = 'interleave.fixAll';

/**
 * Protocol commands the plugin adds to tsserver. VS Code's TypeScript extension asks tsserver for
 * code fixes only for the codes of its global `getSupportedCodeFixes` list (plugins cannot add to
 * it) and its `typescript.tsserverRequest` command forwards only commands starting with `_`; so the
 * Interleave extension asks for quick fixes and fix-all through these.
 */
export const CODE_FIXES_REQUEST = '_interleave.codeFixes';
export const FIX_ALL_REQUEST = '_interleave.fixAll';

/** A tsserver location: 1-based line and offset (UTF-16 code units). */
export interface PluginLocation {
  line: number;
  offset: number;
}

/** Arguments of `_interleave.codeFixes`: a file and a range, as tsserver's own requests give them. */
export interface CodeFixesRequestArgs {
  file: string;
  startLine: number;
  startOffset: number;
  endLine: number;
  endOffset: number;
}

/** Arguments of `_interleave.fixAll`. */
export interface FixAllRequestArgs {
  file: string;
}

export interface PluginTextChange {
  start: PluginLocation;
  end: PluginLocation;
  newText: string;
}

/** One quick fix for a range: the rule's fix or a suppression comment, all in the requested file. */
export interface PluginCodeFix {
  title: string;
  /** The rule's own fix when it is safe: what an editor may apply on its own. */
  isPreferred: boolean;
  changes: PluginTextChange[];
}

export interface CodeFixesResponse {
  fixes: PluginCodeFix[];
}

export interface FixAllResponse {
  /** Empty when there is nothing safe to fix. */
  changes: PluginTextChange[];
}

/**
 * Where code runs, for the extension's lens and its "Where does this run?" command on the files
 * the plugin reports on: the lenses of a file under a `contextLens` setting, and the answer for a
 * position (the same CodeContexts the language server gives for other files).
 */
export const CONTEXT_LENSES_REQUEST = '_interleave.contextLenses';
export const CONTEXTS_AT_REQUEST = '_interleave.contextsAt';

export interface ContextLensesRequestArgs {
  file: string;
  setting: ContextLensSetting;
}

export interface ContextLensesResponse {
  lenses: ContextLens[];
}

/** Arguments of `_interleave.contextsAt`: a file and a 1-based location. */
export interface ContextsAtRequestArgs extends PluginLocation {
  file: string;
}

export interface ContextsAtResponse {
  /** Undefined when the plugin does not analyse the file. */
  contexts?: CodeContexts;
}

/**
 * What the plugin is configured with, by the VS Code extension (`configurePlugin`) or as the
 * other keys of its `compilerOptions.plugins` entry: the `interleave.*` editor settings.
 */
export interface PluginConfiguration {
  /** False: report nothing (the extension sends this when its language server covers TypeScript). */
  enable?: boolean;
  select?: string[];
  ignore?: string[];
  severity?: Record<string, string>;
  workers?: number | null;
  exclude?: string[];
  contextLens?: ContextLensSetting;
}
