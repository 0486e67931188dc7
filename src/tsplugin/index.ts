/**
 * The tsserver plugin's entry (bundled to dist/tsplugin.js; the stub package named
 * TSSERVER_PLUGIN_NAME loads it): decorates each project's language service with Interleave's
 * diagnostics, fixes and hover, takes settings from the editor (`configurePlugin`) or the plugin's
 * tsconfig entry, and adds the protocol commands the VS Code extension asks for fixes through.
 */
import type * as ts from 'typescript';
import type { TypeScriptApi } from '../typescript/compiler';
import { InterleaveLanguageService } from './language-service';
import {
  CODE_FIXES_REQUEST,
  CONTEXT_LENSES_REQUEST,
  CONTEXTS_AT_REQUEST,
  FIX_ALL_FIX_ID,
  FIX_ALL_REQUEST,
  INTERLEAVE_ERROR_CODE,
  type CodeFixesRequestArgs,
  type CodeFixesResponse,
  type ContextLensesRequestArgs,
  type ContextLensesResponse,
  type ContextsAtRequestArgs,
  type ContextsAtResponse,
  type FixAllRequestArgs,
  type FixAllResponse,
  type PluginCodeFix,
  type PluginTextChange,
} from './protocol';

/** Sessions that already answer Interleave's commands: every project's plugin shares its session's handlers. */
const sessionsWithRequests = new WeakSet<object>();

/** Each project's Interleave service, for the requests that need more than the language service's own methods. */
const serviceOfProject = new WeakMap<ts.server.Project, InterleaveLanguageService>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isCodeFixesArgs(value: unknown): value is CodeFixesRequestArgs {
  return isRecord(value) && typeof value.file === 'string' && ['startLine', 'startOffset', 'endLine', 'endOffset'].every((key) => typeof value[key] === 'number');
}

function isFixAllArgs(value: unknown): value is FixAllRequestArgs {
  return isRecord(value) && typeof value.file === 'string';
}

function isContextLensesArgs(value: unknown): value is ContextLensesRequestArgs {
  return isRecord(value) && typeof value.file === 'string' && (value.setting === 'off' || value.setting === 'handlers' || value.setting === 'all');
}

function isContextsAtArgs(value: unknown): value is ContextsAtRequestArgs {
  return isRecord(value) && typeof value.file === 'string' && Number.isInteger(value.line) && Number.isInteger(value.offset);
}

/**
 * Answers `_interleave.codeFixes` and `_interleave.fixAll` from the decorated language service of
 * the project that holds the file, so they return exactly what `getCodeFixes` and
 * `getCombinedCodeFix` would.
 */
function addRequests(typescript: TypeScriptApi, info: ts.server.PluginCreateInfo): void {
  const { session } = info;
  if (!session || sessionsWithRequests.has(session)) return;
  sessionsWithRequests.add(session);
  const { projectService } = info.project;
  const openFile = (file: string) => {
    const path = typescript.server.toNormalizedPath(file);
    const project = projectService.getDefaultProjectForFile(path, false);
    const scriptInfo = project?.getScriptInfoForNormalizedPath(path);
    return project && scriptInfo ? { service: project.getLanguageService(), scriptInfo, interleave: serviceOfProject.get(project) } : undefined;
  };
  const changesIn = (scriptInfo: ts.server.ScriptInfo, changes: readonly ts.FileTextChanges[], file: string): PluginTextChange[] =>
    changes
      .filter((change) => typescript.server.toNormalizedPath(change.fileName) === typescript.server.toNormalizedPath(file))
      .flatMap((change) => change.textChanges)
      .map(({ span, newText }) => ({
        start: scriptInfo.positionToLineOffset(span.start),
        end: scriptInfo.positionToLineOffset(span.start + span.length),
        newText,
      }));

  session.addProtocolHandler(CODE_FIXES_REQUEST, (request) => {
    const response: CodeFixesResponse = { fixes: [] };
    const args: unknown = request.arguments;
    const opened = isCodeFixesArgs(args) ? openFile(args.file) : undefined;
    if (isCodeFixesArgs(args) && opened) {
      const { service, scriptInfo } = opened;
      const start = scriptInfo.lineOffsetToPosition(args.startLine, args.startOffset);
      const end = scriptInfo.lineOffsetToPosition(args.endLine, args.endOffset);
      response.fixes = service
        .getCodeFixesAtPosition(args.file, start, end, [INTERLEAVE_ERROR_CODE], {}, {})
        .filter((action) => action.fixName.startsWith('interleave'))
        .map((action): PluginCodeFix => ({
          title: action.description,
          isPreferred: action.fixId === FIX_ALL_FIX_ID,
          changes: changesIn(scriptInfo, action.changes, args.file),
        }));
    }
    return { response, responseRequired: true };
  });

  session.addProtocolHandler(FIX_ALL_REQUEST, (request) => {
    const response: FixAllResponse = { changes: [] };
    const args: unknown = request.arguments;
    const opened = isFixAllArgs(args) ? openFile(args.file) : undefined;
    if (isFixAllArgs(args) && opened) {
      const combined = opened.service.getCombinedCodeFix({ type: 'file', fileName: args.file }, FIX_ALL_FIX_ID, {}, {});
      response.changes = changesIn(opened.scriptInfo, combined.changes, args.file);
    }
    return { response, responseRequired: true };
  });

  session.addProtocolHandler(CONTEXT_LENSES_REQUEST, (request) => {
    const args: unknown = request.arguments;
    const interleave = isContextLensesArgs(args) ? openFile(args.file)?.interleave : undefined;
    const response: ContextLensesResponse = { lenses: isContextLensesArgs(args) && interleave ? interleave.contextLenses(args.file, args.setting) : [] };
    return { response, responseRequired: true };
  });

  session.addProtocolHandler(CONTEXTS_AT_REQUEST, (request) => {
    const args: unknown = request.arguments;
    const interleave = isContextsAtArgs(args) ? openFile(args.file)?.interleave : undefined;
    const contexts = isContextsAtArgs(args) ? interleave?.contextsAt(args.file, { line: args.line - 1, character: args.offset - 1 }) : undefined;
    const response: ContextsAtResponse = contexts ? { contexts } : {};
    return { response, responseRequired: true };
  });
}

const createPlugin: ts.server.PluginModuleFactory = ({ typescript }) => {
  // The projects' services, weakly: a closed project's service goes with it.
  const services = new Set<WeakRef<InterleaveLanguageService>>();
  return {
    create(info) {
      const service = new InterleaveLanguageService(typescript, info);
      service.configure(info.config);
      services.add(new WeakRef(service));
      serviceOfProject.set(info.project, service);
      try {
        addRequests(typescript, info);
      } catch (error) {
        info.project.projectService.logger.info(`[interleave] cannot add the fix requests: ${String(error)}`);
      }
      return service.decorate();
    },
    onConfigurationChanged(config: unknown) {
      for (const reference of services) {
        const service = reference.deref();
        if (service) service.configure(config);
        else services.delete(reference);
      }
    },
  };
};

export default createPlugin;
