import { field, namedChildren, type Node } from './syntax';

/** Names a function binds locally, and the names it declares `global` or `nonlocal`. */
export interface FunctionNames {
  locals: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  params: Set<string>;
}

const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

function addTargets(target: Node | null, into: Set<string>): void {
  if (!target) return;
  switch (target.type) {
    case 'identifier':
      into.add(target.text);
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
    case 'as_pattern_target':
    case 'list_splat':
      for (const child of namedChildren(target)) addTargets(child, into);
      return;
    default:
      return;
  }
}

function parameterNames(parameters: Node | null, into: Set<string>): void {
  if (!parameters) return;
  for (const parameter of namedChildren(parameters)) {
    if (parameter.type === 'identifier') into.add(parameter.text);
    else if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') {
      const name = field(parameter, 'name');
      if (name) into.add(name.text);
    } else if (parameter.type === 'typed_parameter' || parameter.type === 'list_splat_pattern' || parameter.type === 'dictionary_splat_pattern') {
      const name = namedChildren(parameter).find((child) => child.type === 'identifier');
      if (name) into.add(name.text);
    }
  }
}

/** Python's scoping: a name assigned anywhere in a function is local unless declared global. */
export function collectFunctionNames(definition: Node): FunctionNames {
  const names: FunctionNames = { locals: new Set(), globals: new Set(), nonlocals: new Set(), params: new Set() };
  parameterNames(field(definition, 'parameters'), names.params);
  for (const param of names.params) names.locals.add(param);
  const body = field(definition, 'body');
  if (!body) return names;
  // An explicit stack: generated code can nest expressions thousands deep.
  const pending = definition.type === 'lambda' ? [body] : [...namedChildren(body)];
  while (pending.length > 0) visit(pending.pop()!, names, pending);
  for (const name of names.globals) names.locals.delete(name);
  for (const name of names.nonlocals) names.locals.delete(name);
  return names;
}

function visit(node: Node, names: FunctionNames, pending: Node[]): void {
  switch (node.type) {
    case 'function_definition':
    case 'class_definition': {
      const name = field(node, 'name');
      if (name) names.locals.add(name.text);
      return;
    }
    case 'lambda':
      return;
    case 'global_statement':
      for (const name of namedChildren(node)) if (name.type === 'identifier') names.globals.add(name.text);
      return;
    case 'nonlocal_statement':
      for (const name of namedChildren(node)) if (name.type === 'identifier') names.nonlocals.add(name.text);
      return;
    case 'assignment':
    case 'augmented_assignment':
      addTargets(field(node, 'left'), names.locals);
      break;
    case 'for_statement':
    case 'for_in_clause':
      addTargets(field(node, 'left'), names.locals);
      break;
    case 'named_expression':
      addTargets(field(node, 'name'), names.locals);
      break;
    case 'as_pattern':
      addTargets(field(node, 'alias'), names.locals);
      break;
    case 'import_statement':
    case 'import_from_statement':
      for (const item of namedChildren(node)) {
        if (item.type === 'aliased_import') addTargets(field(item, 'alias'), names.locals);
        else if (item.type === 'dotted_name' && !item.equals(field(node, 'module_name') ?? item.parent!)) names.locals.add(item.text.split('.')[0]!);
      }
      return;
    case 'case_pattern':
      // Captures; class names in class patterns are over-approximated as locals, which only
      // hides state reads, never invents them.
      for (const identifier of node.descendantsOfType('identifier')) {
        const isKeywordName = identifier?.parent?.type === 'keyword_pattern' && identifier.parent.namedChild(0)?.equals(identifier);
        if (identifier && !isKeywordName) names.locals.add(identifier.text);
      }
      return;
    default:
      break;
  }
  for (const child of namedChildren(node)) {
    if (!NESTED_SCOPES.has(child.type) || child.type === 'function_definition' || child.type === 'class_definition') {
      pending.push(child);
    }
  }
}
