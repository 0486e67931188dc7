import type * as ts from 'typescript';
import { spendBudget } from '../core/budget';
import type { Position, Range } from '../core/facts';
import { lineStartsOf, positionIn } from '../core/text-edits';
import type { TypeScriptApi } from './compiler';

/** A parsed file and the compiler it was parsed with: what every helper here needs. */
export interface SyntaxContext {
  ts: TypeScriptApi;
  sourceFile: ts.SourceFile;
}

const lineStartsByFile = new WeakMap<ts.SourceFile, readonly number[]>();

/**
 * Where each line of a parsed file starts, as editors, LSP and the CLI count lines. The compiler's
 * own line map also breaks lines at `\u2028` and `\u2029`, so after one of those (in a string, say)
 * its positions would point a line below the code.
 */
export function lineStartsIn(sourceFile: ts.SourceFile): readonly number[] {
  let lineStarts = lineStartsByFile.get(sourceFile);
  if (!lineStarts) {
    lineStarts = lineStartsOf(sourceFile.text);
    lineStartsByFile.set(sourceFile, lineStarts);
  }
  return lineStarts;
}

export function positionAt(context: SyntaxContext, offset: number): Position {
  return positionIn(lineStartsIn(context.sourceFile), offset);
}

/** A node's range without its leading trivia (comments, blank lines). */
export function rangeOf(context: SyntaxContext, node: ts.Node): Range {
  return { start: positionAt(context, node.getStart(context.sourceFile)), end: positionAt(context, node.end) };
}

export function textOf(context: SyntaxContext, node: ts.Node): string {
  return node.getText(context.sourceFile);
}

/** Source text for messages: on one line, and cut at `max` characters. */
export function shortText(context: SyntaxContext, node: ts.Node, max = 60): string {
  const text = textOf(context, node).replace(/\s+/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Looks through parentheses, type assertions, `!` and `satisfies`: none of them changes the value. */
export function unwrap(context: SyntaxContext, node: ts.Expression): ts.Expression {
  const { ts: api } = context;
  let current = node;
  for (;;) {
    if (
      api.isParenthesizedExpression(current) ||
      api.isAsExpression(current) ||
      api.isTypeAssertionExpression(current) ||
      api.isNonNullExpression(current) ||
      api.isSatisfiesExpression(current)
    ) {
      current = current.expression;
    } else return current;
  }
}

/**
 * The names of a dotted path, `this` included: `app.locals.hits` → [app, locals, hits],
 * `this.cache` → [this, cache], `obj["key"]` → [obj, key]. Undefined for anything computed.
 */
export function dottedParts(context: SyntaxContext, node: ts.Expression): string[] | undefined {
  const { ts: api } = context;
  const parts: string[] = [];
  let current = unwrap(context, node);
  for (;;) {
    if (api.isIdentifier(current)) {
      parts.unshift(current.text);
      return parts;
    }
    if (current.kind === api.SyntaxKind.ThisKeyword) {
      parts.unshift('this');
      return parts;
    }
    if (api.isPropertyAccessExpression(current) && api.isIdentifier(current.name)) {
      parts.unshift(current.name.text);
      current = unwrap(context, current.expression);
      continue;
    }
    if (api.isElementAccessExpression(current) && api.isStringLiteralLike(current.argumentExpression)) {
      parts.unshift(current.argumentExpression.text);
      current = unwrap(context, current.expression);
      continue;
    }
    return undefined;
  }
}

/** The value of a string literal (or a template without substitutions), else undefined. */
export function stringValue(context: SyntaxContext, node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  const { ts: api } = context;
  const expression = api.isExpression(node) ? unwrap(context, node) : node;
  return api.isStringLiteralLike(expression) ? expression.text : undefined;
}

/** Functions, methods, accessors, constructors, arrows: everything with a body of its own. */
export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export function isFunctionNode(context: SyntaxContext, node: ts.Node): node is FunctionNode {
  return functionKindsOf(context.ts).has(node.kind);
}

/** The syntax kinds of FunctionNode, for the compiler last asked (there is one per process): every node of every file is tested. */
let functionKinds: { api: TypeScriptApi; kinds: ReadonlySet<ts.SyntaxKind> } | undefined;

function functionKindsOf(api: TypeScriptApi): ReadonlySet<ts.SyntaxKind> {
  if (functionKinds?.api !== api) {
    const { SyntaxKind } = api;
    const kinds = [SyntaxKind.FunctionDeclaration, SyntaxKind.FunctionExpression, SyntaxKind.ArrowFunction, SyntaxKind.MethodDeclaration, SyntaxKind.Constructor, SyntaxKind.GetAccessor, SyntaxKind.SetAccessor];
    functionKinds = { api, kinds: new Set(kinds) };
  }
  return functionKinds.kinds;
}

export function hasModifier(context: SyntaxContext, node: ts.Node, kind: ts.SyntaxKind): boolean {
  const { ts: api } = context;
  return api.canHaveModifiers(node) && (api.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

export function isAsyncFunction(context: SyntaxContext, node: FunctionNode): boolean {
  return hasModifier(context, node, context.ts.SyntaxKind.AsyncKeyword);
}

export function isStatic(context: SyntaxContext, node: ts.Node): boolean {
  return hasModifier(context, node, context.ts.SyntaxKind.StaticKeyword);
}

/** The name a function is known by: its own, the variable or property it is assigned to, or `<anonymous>`. */
export function functionName(context: SyntaxContext, node: FunctionNode): string {
  const { ts: api } = context;
  if (api.isConstructorDeclaration(node)) return 'constructor';
  if (node.name && (api.isIdentifier(node.name) || api.isPrivateIdentifier(node.name) || api.isStringLiteral(node.name))) return node.name.text;
  const parent = node.parent;
  if (api.isVariableDeclaration(parent) && api.isIdentifier(parent.name)) return parent.name.text;
  if ((api.isPropertyAssignment(parent) || api.isPropertyDeclaration(parent)) && api.isIdentifier(parent.name)) return parent.name.text;
  // CommonJS: `exports.verify = function (…) {…}` and `module.exports.verify = …` define `verify`.
  if (api.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === api.SyntaxKind.EqualsToken && api.isPropertyAccessExpression(parent.left)) {
    const target = parent.left.expression;
    const exported = api.isIdentifier(target) ? target.text === 'exports' : api.isPropertyAccessExpression(target) && api.isIdentifier(target.expression) && target.expression.text === 'module' && target.name.text === 'exports';
    if (exported && api.isIdentifier(parent.left.name)) return parent.left.name.text;
  }
  return '<anonymous>';
}

/**
 * Visits every node under `root` (not `root` itself) without recursion — generated code nests
 * deep — descending into a node's children when `visit` returns true.
 */
export function forEachDescendant(context: SyntaxContext, root: ts.Node, visit: (node: ts.Node) => boolean): void {
  const stack: ts.Node[] = [];
  const push = (node: ts.Node) => {
    stack.push(node);
  };
  let from = 0;
  context.ts.forEachChild(root, push);
  for (;;) {
    // Children were pushed in source order: reverse the new ones so the first is visited first.
    for (let low = from, high = stack.length - 1; low < high; low++, high--) [stack[low], stack[high]] = [stack[high]!, stack[low]!];
    const node = stack.pop();
    if (!node) return;
    spendBudget();
    from = stack.length;
    if (visit(node)) context.ts.forEachChild(node, push);
  }
}

/** A `catch` that throws again (outside nested functions): the failure leaves the `try` after all. */
export function rethrows(context: SyntaxContext, clause: ts.CatchClause): boolean {
  let found = false;
  forEachDescendant(context, clause.block, (node) => {
    found ||= context.ts.isThrowStatement(node);
    return !found && !isFunctionNode(context, node);
  });
  return found;
}
