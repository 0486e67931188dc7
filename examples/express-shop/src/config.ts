import { readFileSync } from 'node:fs';

/** Settings read once, when the server starts: blocking here delays startup, not requests. */
export const settings = JSON.parse(readFileSync(new URL('../settings.json', import.meta.url), 'utf8')) as {
  databaseUrl: string;
  redisUrl: string;
  smtpHost: string;
  port: number;
};
