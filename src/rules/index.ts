import type { Rule } from '../core/rule';

/** Every rule, sorted by code. A test fails when a rule file is not listed here. */
export const RULES: readonly Rule[] = [];
