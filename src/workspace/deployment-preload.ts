/**
 * Which production deployments have gunicorn preload the application (`--preload`,
 * `preload_app = True`, `GUNICORN_CMD_ARGS="--preload"`), and which applications they serve: the
 * modules those import run once, in the master process, before the workers are forked (IL603).
 */
import type { DeploymentFileReading, Located, PreloadSetting, ServerCommand } from '../core/deployment-facts';

const PRELOAD_FLAG = /(^|\s)--preload(\s|$)/;

function sourceOf(path: string, where: Located): PreloadSetting['source'] {
  return { path, range: { start: { line: where.line, character: 0 }, end: { line: where.endLine, character: 0 } }, text: where.text };
}

function applicationsOf(commands: readonly ServerCommand[]): string[] {
  return [...new Set(commands.flatMap((command) => (command.application ? [command.application] : [])))];
}

/**
 * Every production setting that makes gunicorn preload the app. A command's `--preload` serves
 * what that command names; a config file's `preload_app = True` and `GUNICORN_CMD_ARGS` serve
 * what the project's gunicorn commands (or the config's `wsgi_app`) name, since any of them may
 * load it. Development files, development services and reloading commands are left out.
 */
export function preloadSettingsFrom(files: readonly DeploymentFileReading[]): PreloadSetting[] {
  const production = files.filter((file) => !file.development);
  const commandsOf = (file: DeploymentFileReading) =>
    file.facts.commands.filter((command) => command.server === 'gunicorn' && !command.development && !command.reload);
  const everyApplication = [
    ...new Set([
      ...applicationsOf(production.flatMap(commandsOf)),
      ...production.flatMap((file) => file.facts.settings.filter((setting) => setting.name === 'wsgi_app' && !setting.development).map((setting) => setting.value)),
    ]),
  ];
  const settings: PreloadSetting[] = [];
  for (const file of production) {
    const commands = commandsOf(file);
    for (const command of commands) {
      if (!command.preload) continue;
      const named = applicationsOf([command]);
      settings.push({ source: sourceOf(file.path, command), setting: '--preload', applications: named.length > 0 ? named : everyApplication });
    }
    for (const setting of file.facts.settings) {
      if (setting.development) continue;
      if (setting.name === 'preload_app' && setting.value === 'True') {
        settings.push({ source: sourceOf(file.path, setting), setting: 'preload_app = True', applications: everyApplication });
      } else if (setting.name === 'GUNICORN_CMD_ARGS' && PRELOAD_FLAG.test(setting.value)) {
        const named = applicationsOf(commands.filter((command) => setting.group === undefined || command.group === setting.group));
        settings.push({ source: sourceOf(file.path, setting), setting: 'GUNICORN_CMD_ARGS="--preload"', applications: named.length > 0 ? named : everyApplication });
      }
    }
  }
  return settings;
}
