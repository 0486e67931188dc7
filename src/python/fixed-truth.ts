import type { LocalBindings, ModuleScope } from './scope';
import { field, namedChildren, stringValue, unparenthesize, type Node } from './syntax';

const TYPE_CHECKING = /^typing(_extensions)?\.TYPE_CHECKING$/;

/**
 * Where a name is only read: the expression positions a test's constant can sit in elsewhere in
 * the module. Any other place it appears (an assignment target, a loop variable, an import, a
 * parameter, `global`) may rebind it, and the constant is no longer certain.
 */
const READ_PARENTS = new Set([
  'if_statement', 'elif_clause', 'while_statement', 'not_operator', 'boolean_operator', 'comparison_operator',
  'argument_list', 'return_statement', 'conditional_expression', 'parenthesized_expression', 'binary_operator',
  'expression_statement', 'assert_statement', 'list', 'set', 'dictionary', 'pair', 'subscript',
]);

/** Module constants by scope: computed once per module, the first time a test names one. */
const constantsOf = new WeakMap<ModuleScope, Map<string, boolean>>();

/**
 * The truth a test always has, when that is certain without running it: `False`, `None`, `0`,
 * `TYPE_CHECKING` (false at run time), `not` of one, `and`/`or` with an operand that decides, or a
 * module-level name bound once, at the top level, to `True`/`False`/`None` and never rebound in
 * the module (`DEBUG = False`).
 * Undefined for anything else, a setting read from the environment included.
 */
export function fixedTruth(scope: ModuleScope, condition: Node, locals: LocalBindings): boolean | undefined {
  let node = unparenthesize(condition);
  let negated = false;
  while (node.type === 'not_operator') {
    const argument = field(node, 'argument');
    if (!argument) return undefined;
    node = unparenthesize(argument);
    negated = !negated;
  }
  const truth = literalTruth(node) ?? nameTruth(scope, node, locals) ?? combinedTruth(scope, node, locals);
  return truth === undefined ? undefined : truth !== negated;
}

/** `x and False` is false and `x or True` true whatever `x` is: one fixed operand decides. */
function combinedTruth(scope: ModuleScope, node: Node, locals: LocalBindings): boolean | undefined {
  if (node.type !== 'boolean_operator') return undefined;
  const deciding = node.children.find((child) => child && !child.isNamed)?.text === 'or';
  const operands = [field(node, 'left'), field(node, 'right')].map((operand) => (operand ? fixedTruth(scope, operand, locals) : undefined));
  if (operands.includes(deciding)) return deciding;
  return operands.every((truth) => truth === !deciding) ? !deciding : undefined;
}

function literalTruth(node: Node): boolean | undefined {
  if (node.type === 'true') return true;
  if (node.type === 'false' || node.type === 'none') return false;
  if (node.type === 'integer' && /^(0[xob]?)?[0-9a-f_]+$/i.test(node.text)) return !/^(0[xob]?)?[0_]+$/i.test(node.text);
  return undefined;
}

function nameTruth(scope: ModuleScope, node: Node, locals: LocalBindings): boolean | undefined {
  if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
  const head = node.type === 'identifier' ? node.text : undefined;
  if (head !== undefined && (locals.binds(head) || locals.imported(head) !== undefined)) return undefined;
  if (TYPE_CHECKING.test(scope.qualify(node) ?? '')) return false;
  if (head === undefined) return undefined;
  return moduleConstantTruths(scope).get(head);
}

/** The module's constants a test can rely on, by name, with their truth: read anywhere in the module, so part of what every function's flow depends on. */
export function moduleConstantTruths(scope: ModuleScope): ReadonlyMap<string, boolean> {
  let constants = constantsOf.get(scope);
  if (!constants) constantsOf.set(scope, (constants = moduleConstants(scope)));
  return constants;
}

/** `NAME = True|False|None` as a top-level statement, the only place the module binds NAME. */
function moduleConstants(scope: ModuleScope): Map<string, boolean> {
  const truthOf = (value: Node) => (value.type === 'true' ? true : value.type === 'false' || value.type === 'none' ? false : undefined);
  return boundOnce(scope, truthOf, onlyRead);
}

/** Methods that take keys out of a dict: a table they are called on is not constant. */
const REMOVES_KEYS = new Set(['pop', 'popitem', 'clear']);

/**
 * The keys of the module's constant tables: a name bound once, at the top level, to a dict literal
 * whose keys are all plain strings (`PROMPTS = {"chat": …, "summary": …}`), never rebound in the
 * module and never losing a key there (`del PROMPTS[k]`, `.pop`, `.clear`). Keys added elsewhere
 * only make more keys present, so a key listed here is present whenever the module is loaded.
 */
export function moduleConstantKeys(scope: ModuleScope): Record<string, string[]> {
  const keysOf = (value: Node) => (value.type === 'dictionary' ? stringKeys(value) : undefined);
  return Object.fromEntries(boundOnce(scope, keysOf, (identifier) => onlyRead(identifier) && !losesKeys(identifier)));
}

/**
 * Names a top-level statement binds to a value `valueOf` accepts, the only place the module binds
 * them, and which every other mention in the module leaves as they are (`keeps`).
 */
function boundOnce<T>(scope: ModuleScope, valueOf: (value: Node) => T | undefined, keeps: (identifier: Node) => boolean): Map<string, T> {
  const candidates = new Map<string, { value: T; target: Node }>();
  const bound = new Set<string>();
  for (const statement of namedChildren(scope.root)) {
    const assignment = statement.type === 'expression_statement' ? namedChildren(statement)[0] : undefined;
    const target = assignment?.type === 'assignment' ? field(assignment, 'left') : null;
    const right = assignment?.type === 'assignment' ? field(assignment, 'right') : null;
    if (target?.type !== 'identifier' || !right) continue;
    const value = valueOf(right);
    if (value === undefined || bound.has(target.text)) candidates.delete(target.text);
    else candidates.set(target.text, { value, target });
    bound.add(target.text);
  }
  if (candidates.size === 0) return new Map();
  for (const identifier of scope.root.descendantsOfType('identifier')) {
    const candidate = identifier ? candidates.get(identifier.text) : undefined;
    if (!identifier || !candidate || identifier.equals(candidate.target)) continue;
    if (!keeps(identifier)) candidates.delete(identifier.text);
  }
  for (const name of scope.declaredGlobal) candidates.delete(name);
  return new Map([...candidates].map(([name, { value }]) => [name, value]));
}

/** Every key of a dict literal when all are plain strings (no `**spread`, no computed key). */
function stringKeys(dictionary: Node): string[] | undefined {
  const keys: string[] = [];
  for (const entry of namedChildren(dictionary)) {
    if (entry.type === 'comment') continue;
    const key = entry.type === 'pair' ? field(entry, 'key') : null;
    const text = key ? stringValue(unparenthesize(key)) : undefined;
    if (text === undefined) return undefined;
    keys.push(text);
  }
  return keys;
}

function losesKeys(identifier: Node): boolean {
  const parent = identifier.parent;
  if (parent?.type === 'attribute') return REMOVES_KEYS.has(field(parent, 'attribute')?.text ?? '');
  if (parent?.type !== 'subscript') return false;
  const deleted = parent.parent?.type === 'expression_list' ? parent.parent.parent : parent.parent;
  return deleted?.type === 'delete_statement';
}

function onlyRead(identifier: Node): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  const valueField = parent.type === 'attribute' ? 'object' : parent.type === 'assignment' ? 'right' : parent.type === 'keyword_argument' ? 'value' : undefined;
  if (valueField) return field(parent, valueField)?.equals(identifier) ?? false;
  return READ_PARENTS.has(parent.type);
}
