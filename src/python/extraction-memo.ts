/**
 * What one extraction of a document leaves for the next: the copy of its syntax tree, whose
 * statements before an edit the next copy takes over (src/python/syntax-tree.ts), and the facts
 * of its functions, so a keystroke rebuilds the flow of the function it edits and reuses every
 * other function's. The reused facts are the same objects as before, so what the rules and
 * summaries derive from a function and cache by its identity (its races, its value origins, its
 * calls) is reused with them.
 *
 * A function's facts are made from its own text and position, the functions and classes it is
 * nested in, the handler role the module gives it, and what the module scope says about names
 * (bindings and their values, imports, classes, singletons, globals, the constants a test can
 * rely on). The key of a function holds
 * all of these, so facts found under it are the facts a fresh extraction builds.
 */
import type { FunctionFacts } from '../core/facts';
import { moduleConstantTruths } from './fixed-truth';
import type { HandlerRole } from './handlers';
import type { ModuleScope } from './scope';
import { field, type Node } from './syntax';
import type { SyntaxNode } from './syntax-tree';

function position(node: Node): string {
  return `${node.startPosition.row}:${node.startPosition.column}`;
}

/** Everything of the module scope a function's facts may read, as one string. */
function scopeDigest(scope: ModuleScope): string {
  return JSON.stringify([
    scope.moduleName,
    [...scope.imports],
    scope.starImports,
    [...scope.bindings.values()].map((binding) => [binding.name, binding.kind, binding.range, binding.valueType, binding.value?.text]),
    [...scope.classes.values()].map((info) => [
      info.name,
      position(info.node),
      info.bases,
      [...info.attributes],
      [...info.attributeValues].map(([name, value]) => [name, value.text]),
      [...info.instanceTypes],
      [...info.selfAssigned],
      [...info.methods].map(([name, method]) => [name, position(method)]),
    ]),
    [...scope.singletons],
    [...scope.declaredGlobal],
    // Whether `if DEBUG:` runs depends on every place of the module that may rebind `DEBUG`.
    [...moduleConstantTruths(scope)],
  ]);
}

/**
 * The key of a function definition: its outermost enclosing function (or itself) with its
 * decorators, as text and position — which fixes the text and position of everything inside,
 * enclosing functions' locals included — its own position, the classes around that outermost
 * function, and its role.
 */
function keyOf(definition: Node, role: HandlerRole | undefined): string {
  let outermost = definition;
  const classes: string[] = [];
  for (let node = definition.parent; node; node = node.parent) {
    if (node.type === 'function_definition' || node.type === 'lambda') outermost = node;
    else if (node.type === 'class_definition') classes.push(`${field(node, 'name')?.text ?? ''}@${position(node)}`);
  }
  const anchor = outermost.parent?.type === 'decorated_definition' ? outermost.parent : outermost;
  return [position(anchor), position(definition), classes.join('/'), JSON.stringify(role ?? null), anchor.text].join('\0');
}

export class ExtractionMemo {
  /** The last extraction's copy of the syntax tree. */
  syntax: SyntaxNode | undefined;
  private digest: string | undefined;
  private kept = new Map<string, FunctionFacts>();
  private next = new Map<string, FunctionFacts>();

  /** Starts an extraction; facts built under another module scope are dropped. */
  begin(scope: ModuleScope): void {
    const digest = scopeDigest(scope);
    if (digest !== this.digest) this.kept.clear();
    this.digest = digest;
    this.next = new Map();
  }

  /** The kept facts of a definition whose key is unchanged, else those `build` makes (kept for next time). */
  factsOf(definition: Node, role: HandlerRole | undefined, build: () => FunctionFacts | undefined): FunctionFacts | undefined {
    const key = keyOf(definition, role);
    const facts = this.kept.get(key) ?? build();
    if (facts) this.next.set(key, facts);
    return facts;
  }

  /** Ends the extraction: the functions it did not meet are forgotten. */
  end(): void {
    this.kept = this.next;
    this.next = new Map();
  }
}
