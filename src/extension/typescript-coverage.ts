/**
 * Who reports on TypeScript and JavaScript files: the tsserver plugin, inside VS Code's own
 * TypeScript support, or the Interleave language server. Never both — the server is told at
 * start-up (`initializationOptions.typescript`) and the plugin is switched off when the server has
 * the files. The analysis runs in tsserver or in the server, never in the extension host.
 */
import * as vscode from 'vscode';
import type { ClientSettings } from '../server/protocol';
import { TSSERVER_PLUGIN_NAME, type PluginConfiguration } from '../tsplugin/protocol';

export type TypeScriptCoverage = 'plugin' | 'server';

const TYPESCRIPT_EXTENSION = 'vscode.typescript-language-features';

/** The part of the TypeScript extension's API (version 0) the plugin needs. */
interface TypeScriptApi {
  configurePlugin(pluginId: string, configuration: PluginConfiguration): void;
}

function isTypeScriptApi(value: unknown): value is TypeScriptApi {
  return typeof value === 'object' && value !== null && typeof (value as { configurePlugin?: unknown }).configurePlugin === 'function';
}

/** The API when the TypeScript extension is installed, enabled and running tsserver (which loads plugins). */
async function typeScriptApi(output: vscode.LogOutputChannel): Promise<TypeScriptApi | undefined> {
  const extension = vscode.extensions.getExtension<unknown>(TYPESCRIPT_EXTENSION);
  if (!extension) return undefined;
  try {
    const exports = extension.isActive ? extension.exports : await extension.activate();
    const getAPI = typeof exports === 'object' && exports !== null ? (exports as { getAPI?: unknown }).getAPI : undefined;
    // Under TypeScript 7's native server (`typescript.experimental.useTsgo`) getAPI gives nothing.
    const api: unknown = typeof getAPI === 'function' ? (getAPI as (version: number) => unknown)(0) : undefined;
    return isTypeScriptApi(api) ? api : undefined;
  } catch (error) {
    output.warn('The TypeScript extension did not start; the Interleave server covers TypeScript files', error);
    return undefined;
  }
}

/**
 * The plugin reports only where tsserver both loads plugins and is asked for semantic diagnostics:
 * not under the native TypeScript 7 server, which loads none, and not when TypeScript or
 * JavaScript validation is off, since then nobody asks.
 */
function pluginCanReport(): boolean {
  const typescript = vscode.workspace.getConfiguration('typescript');
  const javascript = vscode.workspace.getConfiguration('javascript');
  return !typescript.get<boolean>('experimental.useTsgo', false) && typescript.get<boolean>('validate.enable', true) && javascript.get<boolean>('validate.enable', true);
}

/** Settings that decide the coverage: a change to one of them may hand the files over. */
export const COVERAGE_SETTINGS = ['typescript.experimental.useTsgo', 'typescript.validate.enable', 'javascript.validate.enable'];

/**
 * Keeps the plugin's settings in step with the `interleave.*` settings and decides the coverage.
 * The plugin has one configuration per tsserver: the window's settings, not each folder's.
 */
export class TypeScriptPlugin implements vscode.Disposable {
  private readonly listener: vscode.Disposable;

  private constructor(
    private readonly api: TypeScriptApi | undefined,
    public coverage: TypeScriptCoverage,
  ) {
    this.listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('interleave')) this.configure();
    });
    this.configure();
  }

  static async start(output: vscode.LogOutputChannel): Promise<TypeScriptPlugin> {
    const api = await typeScriptApi(output);
    const plugin = new TypeScriptPlugin(api, api && pluginCanReport() ? 'plugin' : 'server');
    output.info(`TypeScript and JavaScript files: reported by ${plugin.coverage === 'plugin' ? 'the tsserver plugin' : 'the Interleave language server'}.`);
    return plugin;
  }

  /** The coverage the current settings call for; the caller restarts the server when it changes. */
  recompute(): TypeScriptCoverage {
    this.coverage = this.api && pluginCanReport() ? 'plugin' : 'server';
    this.configure();
    return this.coverage;
  }

  private configure(): void {
    if (!this.api) return;
    const settings = vscode.workspace.getConfiguration('interleave');
    const configuration: PluginConfiguration = {
      enable: this.coverage === 'plugin' && settings.get<ClientSettings['enable']>('enable', true),
      select: settings.get<ClientSettings['select']>('select', []),
      ignore: settings.get<ClientSettings['ignore']>('ignore', []),
      severity: settings.get<ClientSettings['severity']>('severity', {}),
      workers: settings.get<ClientSettings['workers']>('workers', null),
      exclude: settings.get<ClientSettings['exclude']>('exclude', []),
      contextLens: settings.get<ClientSettings['contextLens']>('contextLens', 'handlers'),
    };
    this.api.configurePlugin(TSSERVER_PLUGIN_NAME, configuration);
  }

  dispose(): void {
    this.listener.dispose();
  }
}
