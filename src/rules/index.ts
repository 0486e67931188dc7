import type { Rule } from '../core/rule';
import { awaitCheckThenAct } from './await-check-then-act';
import { awaitRace } from './await-race';
import { perProcessState } from './per-process-state';
import { threadpoolRace } from './threadpool-race';

/** Every rule, sorted by code. A test fails when a rule file is not listed here. */
export const RULES: readonly Rule[] = [awaitRace, threadpoolRace, perProcessState, awaitCheckThenAct];
