import type { ModuleFacts } from '../../core/facts';
import { callsOf } from '../../core/request-reach';
import type { ProjectFacts } from '../../core/rule';
import { APPLICATION_CONSTRUCTORS, type Protocol } from '../catalog/servers';

/**
 * The applications a project's modules build, for checking the servers that deployment files
 * run them with: the first pass summarises each module, the deployment check reads the summaries.
 */

export interface ApplicationOutline {
  /** The name it is bound to (`app`), or the factory that builds it (`create_app()`). */
  name: string;
  protocol: Protocol;
  framework: string;
}

export interface ApplicationSummary {
  applications: ApplicationOutline[];
}

function isSummary(value: unknown): value is ApplicationSummary {
  return typeof value === 'object' && value !== null && Array.isArray((value as ApplicationSummary).applications);
}

/** The application objects a module builds, at module level or in factory functions. */
export function summarizeApplications(module: ModuleFacts): ApplicationSummary {
  const applications: ApplicationOutline[] = [];
  const builds = (calls: ReturnType<typeof callsOf>, name: (boundTo: string | undefined) => string) => {
    for (const call of calls) {
      const constructor = call.callee ? APPLICATION_CONSTRUCTORS.get(call.callee) : undefined;
      if (constructor) applications.push({ name: name(call.boundTo?.[0]?.key), ...constructor });
    }
  };
  builds(callsOf({ flow: module.moduleFlow }), (boundTo) => boundTo ?? '');
  for (const fn of module.functions) if (!fn.parent && !fn.isLambda) builds(callsOf(fn), () => `${fn.name}()`);
  return { applications };
}

/** The application a server is pointed at (`app.main:app`), and what it is. */
export interface ServedApplication extends ApplicationOutline {
  /** As the deployment names it, or the module that builds it when the deployment does not say. */
  target: string;
}

export class ProjectApplications {
  private readonly modules = new Map<string, ApplicationOutline[]>();

  constructor(project: ProjectFacts, code: string) {
    for (const [moduleName, summary] of project.summaries?.get(code) ?? []) {
      if (isSummary(summary)) this.modules.set(moduleName, summary.applications);
    }
  }

  /**
   * What a server serves: the application its target names when the analysed tree has that
   * module (`app.main:app` also matches `src.app.main`), else the project's applications when
   * they all speak one protocol. Undefined when it cannot be told.
   */
  served(target: string | undefined): ServedApplication | undefined {
    const [modulePath, attribute] = target?.split(':') ?? [];
    if (target && modulePath) {
      for (const [moduleName, applications] of this.modules) {
        if (!sameModule(moduleName, modulePath) || applications.length === 0) continue;
        const named = applications.find((application) => application.name === attribute) ?? applications[0]!;
        return applications.every((application) => application.protocol === named.protocol) || named.name === attribute ? { ...named, target } : undefined;
      }
    }
    const all = [...this.modules].flatMap(([moduleName, applications]) => applications.map((application) => ({ moduleName, application })));
    const first = all[0];
    if (!first || all.some(({ application }) => application.protocol !== first.application.protocol)) return undefined;
    return { ...first.application, target: target ?? `${first.moduleName}:${first.application.name}` };
  }
}

/** `app.main` names the module `app.main`, and `src.app.main` when the server runs from `src`. */
export function sameModule(moduleName: string, written: string): boolean {
  return moduleName === written || moduleName.endsWith(`.${written}`) || written.endsWith(`.${moduleName}`);
}
