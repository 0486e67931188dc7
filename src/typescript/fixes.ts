import type * as ts from 'typescript';
import type { CallEvent, FunctionFacts, ModuleFacts, Range } from '../core/facts';
import type { TextEdit } from '../core/hazard';
import type { FixBuilder } from '../core/rule';
import { positionAt, type SyntaxContext } from './syntax';
import { rangeWithin } from '../core/positions';

function point(position: Range['start']): Range {
  return { start: position, end: position };
}

/**
 * TypeScript and JavaScript edits. Offered only where the result is certain to parse and to mean
 * what the fix says: awaiting a call, and replacing a sync file call by its `fs/promises` twin in
 * an async function. Python's thread offloading, lifespans and `async with` locks have no
 * well-formed equivalent here, so those fixes are not offered.
 */
export class TypeScriptFixBuilder implements FixBuilder {
  constructor(
    /** Where an added import goes, and in which form: read from the syntax tree (`importSiteOf`), so the tree is not kept. */
    readonly importSite: ImportSite,
    private readonly facts: ModuleFacts,
  ) {}

  wrapInLock(): undefined {
    return undefined;
  }

  awaitInstead(call: CallEvent, replacement: { module: string; name: string }): TextEdit[] | undefined {
    const fn = this.innermostFunction(call.range);
    if (!fn?.isAsync) return undefined;
    const edits: TextEdit[] = [];
    const name = this.importedName(replacement.module, replacement.name, edits);
    if (!name) return undefined;
    edits.push({ range: point(call.range.start), newText: 'await ' });
    edits.push({ range: call.calleeRange, newText: name });
    return edits;
  }

  offloadCall(): undefined {
    return undefined;
  }

  makeSync(): undefined {
    return undefined;
  }

  addKeywordArgument(): undefined {
    return undefined;
  }

  removeDecorator(): undefined {
    return undefined;
  }

  passAsReference(): undefined {
    return undefined;
  }

  insertAfter(): undefined {
    return undefined;
  }

  appendToFunction(): undefined {
    return undefined;
  }

  awaitCall(call: Range): TextEdit[] {
    return [{ range: point(call.start), newText: 'await ' }];
  }

  keepTaskReference(): undefined {
    return undefined;
  }

  convertHooksToLifespan(): undefined {
    return undefined;
  }

  private innermostFunction(range: Range): FunctionFacts | undefined {
    let found: FunctionFacts | undefined;
    for (const fn of this.facts.functions) {
      if (rangeWithin(range, fn.range) && (!found || rangeWithin(fn.range, found.range))) found = fn;
    }
    return found;
  }

  /**
   * The name `module`'s export `name` is reachable by, importing it when the module does not yet:
   * an ES import after the last import (or a `require` in a CommonJS module). Undefined when the
   * name is taken by something else.
   */
  private importedName(module: string, name: string, edits: TextEdit[]): string | undefined {
    const bare = module.replace(/^node:/, '');
    const existing = this.facts.imports.find((fact) => fact.target === `${bare}.${name}`);
    if (existing) return existing.local;
    const namespace = this.facts.imports.find((fact) => fact.target === bare);
    if (namespace) return `${namespace.local}.${name}`;
    const taken =
      this.facts.imports.some((fact) => fact.local === name) ||
      this.facts.state.some((state) => state.root === name) ||
      this.facts.functions.some((fn) => fn.name === name || fn.params.some((param) => param.name === name));
    if (taken) return undefined;
    const { afterImports, firstStatement, commonJs } = this.importSite;
    const line = commonJs ? `const { ${name} } = require('node:${bare}');` : `import { ${name} } from 'node:${bare}';`;
    if (afterImports) edits.push({ range: point(afterImports), newText: `\n${line}` });
    else edits.push({ range: point({ line: firstStatement.line, character: 0 }), newText: `${line}\n` });
    return name;
  }
}

export interface ImportSite {
  /** The end of the last import (or top-level `require`), when there is one. */
  afterImports?: Range['start'];
  firstStatement: Range['start'];
  /** The module imports with `require`, not `import`. */
  commonJs: boolean;
}

export function importSiteOf(context: SyntaxContext): ImportSite {
  const { ts: api, sourceFile } = context;
  const statements = sourceFile.statements;
  const imports = statements.filter((statement) => api.isImportDeclaration(statement) || api.isImportEqualsDeclaration(statement) || isRequire(context, statement));
  const last = imports[imports.length - 1];
  const first = statements[0];
  return {
    ...(last && { afterImports: positionAt(context, last.end) }),
    firstStatement: first ? positionAt(context, first.getStart(sourceFile)) : { line: 0, character: 0 },
    commonJs: !statements.some((statement) => api.isImportDeclaration(statement)) && (/\.c[jt]s$/.test(sourceFile.fileName) || imports.length > 0),
  };
}

/** `const x = require('…')` at the top of a module. */
function isRequire(context: SyntaxContext, statement: ts.Statement): boolean {
  const { ts: api } = context;
  if (!api.isVariableStatement(statement)) return false;
  return statement.declarationList.declarations.some((declaration) => {
    let value = declaration.initializer;
    while (value && (api.isPropertyAccessExpression(value) || api.isCallExpression(value)) && !(api.isCallExpression(value) && api.isIdentifier(value.expression) && value.expression.text === 'require')) {
      value = value.expression;
    }
    return value !== undefined && api.isCallExpression(value) && api.isIdentifier(value.expression) && value.expression.text === 'require';
  });
}
