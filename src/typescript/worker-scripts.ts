import type * as ts from 'typescript';
import type { ModuleFacts } from '../core/facts';
import type { ModuleScope } from './scope';
import { forEachDescendant, rangeOf, type SyntaxContext } from './syntax';

/**
 * Pools and workers that run a script file on threads of their own: Piscina and Tinypool (its
 * `filename`), workerpool (`workerpool.pool(script)`) and `worker_threads`' `Worker(file)`. What
 * the script exports runs on those threads, never on the event loop that serves requests — the
 * very remedy the CPU-heavy rules advise.
 */
const POOLS: readonly [RegExp, string][] = [
  [/^piscina(\.Piscina|\.default)?$/, 'Piscina'],
  [/^tinypool(\.Tinypool|\.default)?$/, 'Tinypool'],
  [/^workerpool\.pool$/, 'workerpool'],
  [/^worker_threads\.Worker$/, 'Worker'],
];

/** A script's path as a string literal gives it: `build/workers/hash.js`, `./worker.mjs`. */
const SCRIPT = /[\w.-]+\.[cm]?[jt]s$/;

/** The worker scripts a module starts, each by the path written at the pool or worker it makes. */
export function workerScripts(context: SyntaxContext, scope: ModuleScope): Pick<ModuleFacts, 'workerScripts'> {
  const { ts: api, sourceFile } = context;
  if (!/Piscina|Tinypool|workerpool|Worker/.test(sourceFile.text)) return {};
  const scripts: NonNullable<ModuleFacts['workerScripts']> = [];
  forEachDescendant(context, sourceFile, (node) => {
    if (!api.isNewExpression(node) && !api.isCallExpression(node)) return true;
    const callee = scope.qualify(node.expression);
    const pool = callee && POOLS.find(([pattern]) => pattern.test(callee))?.[1];
    const [first] = node.arguments ?? [];
    if (!pool || !first) return true;
    const option = api.isObjectLiteralExpression(first)
      ? first.properties.find((property): property is ts.PropertyAssignment => api.isPropertyAssignment(property) && property.name.getText(sourceFile) === 'filename')?.initializer
      : first;
    const script = option && lastScriptLiteral(context, option);
    if (script) scripts.push({ script, pool, range: rangeOf(context, node) });
    return true;
  });
  return scripts.length > 0 ? { workerScripts: scripts } : {};
}

/** The last string literal naming a script inside an expression: `path.join(root, 'build/w.js')`, `new URL('./w.js', import.meta.url)`. */
function lastScriptLiteral(context: SyntaxContext, expression: ts.Expression): string | undefined {
  const { ts: api } = context;
  let found: string | undefined;
  const consider = (node: ts.Node) => {
    if ((api.isStringLiteral(node) || api.isNoSubstitutionTemplateLiteral(node)) && SCRIPT.test(node.text)) found = node.text;
  };
  consider(expression);
  forEachDescendant(context, expression, (node) => {
    consider(node);
    return true;
  });
  return found;
}
