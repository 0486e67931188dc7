/**
 * Generates the TypeScript side of the editor benchmark: a small Express service whose one large
 * router file (about 2,000 lines) is the file the keystroke run types into. Each group of
 * endpoints holds the correct form of an operation and, every few groups, a hazard Interleave
 * reports — a lost update across an await on module state, a blocking call in a handler, a sync
 * helper that blocks, a dropped promise — so the rules have findings to keep current as it types.
 */
import type { GeneratedFile } from './fastapi-project';
import { SeededRandom } from './seeded-random';

export interface ExpressProject {
  files: GeneratedFile[];
  /** The router the editor benchmark opens, relative to the project root. */
  largeRouter: string;
}

const ENTITIES = ['order', 'invoice', 'customer', 'shipment', 'coupon', 'review', 'ticket', 'refund'];

const SERVICES = `import { readFileSync } from 'node:fs';

export interface Entity {
  id: string;
  total: number;
  owner: string;
}

export async function fetchEntity(kind: string, id: string): Promise<Entity> {
  return { id, total: kind.length, owner: 'nobody' };
}

export async function saveEntity(kind: string, entity: Entity): Promise<void> {
  if (!kind || !entity.id) throw new Error('nothing to save');
}

export async function notify(channel: string, message: string): Promise<void> {
  if (channel.length === 0) throw new Error(message);
}

/** Reads the price list from disk: a sync helper, so a handler calling it blocks the loop. */
export function loadPriceList(): string {
  return readFileSync('prices.json', 'utf8');
}
`;

function endpointGroup(entity: string, index: number, random: SeededRandom): string[] {
  const name = `${entity}${index}`;
  const state = `${name}Counts`;
  const lines = [
    `const ${state} = new Map<string, number>();`,
    '',
    `router.get('/${entity}s/${index}/:id', async (req: Request, res: Response) => {`,
    `  const entity = await fetchEntity('${entity}', req.params.id ?? '');`,
    `  const summary = { id: entity.id, total: entity.total, owner: entity.owner };`,
    `  res.json(summary);`,
    '});',
    '',
    `router.post('/${entity}s/${index}', async (req: Request, res: Response) => {`,
    `  const entity = { id: String(req.body.id), total: Number(req.body.total), owner: String(req.body.owner) };`,
    `  await saveEntity('${entity}', entity);`,
    `  await notify('${entity}s', \`created \${entity.id}\`);`,
    `  res.status(201).json(entity);`,
    '});',
    '',
    `export async function count${capitalized(name)}(req: Request, res: Response): Promise<void> {`,
    `  const key = String(req.query.key ?? 'all');`,
  ];
  switch (index % 4) {
    case 0:
      // The read, the await, then the write from the stale read: IL101 (and IL103 on the map).
      lines.push(`  const seen = ${state}.get(key) ?? 0;`, `  await notify('${entity}s', key);`, `  ${state}.set(key, seen + 1);`);
      break;
    case 1:
      // A blocking call in a handler: IL201.
      lines.push(`  const prices = readFileSync('prices-${index}.json', 'utf8');`, `  ${state}.set(key, prices.length);`);
      break;
    case 2:
      // A sync helper that blocks, called from async code, and a dropped promise: IL202, IL403.
      lines.push(`  const prices = loadPriceList();`, `  notify('${entity}s', prices);`, `  ${state}.set(key, prices.length);`);
      break;
    default:
      // The correct form: read and write with no await between them.
      lines.push(`  ${state}.set(key, (${state}.get(key) ?? 0) + 1);`, `  await notify('${entity}s', key);`);
  }
  lines.push(`  res.json({ count: ${state}.get(key) ?? 0 });`, '}', '', `router.get('/${entity}s/${index}/count', count${capitalized(name)});`, '');
  for (let helper = 0; helper < random.between(1, 3); helper++) {
    lines.push(
      `function format${capitalized(name)}Line${helper}(entity: Entity): string {`,
      `  const parts = [entity.id, entity.owner, entity.total.toFixed(2)];`,
      `  return parts.join(' | ');`,
      '}',
      '',
    );
  }
  return lines;
}

function capitalized(word: string): string {
  return `${word[0]!.toUpperCase()}${word.slice(1)}`;
}

/** An Express service whose router grows to at least `routerLines` lines. */
export function generateExpressProject(routerLines: number, seed: number): ExpressProject {
  const random = new SeededRandom(seed);
  const router = [
    "import { readFileSync } from 'node:fs';",
    "import express, { type Request, type Response } from 'express';",
    "import { fetchEntity, loadPriceList, notify, saveEntity, type Entity } from './services';",
    '',
    'export const router = express.Router();',
    '',
  ];
  for (let group = 0; router.length < routerLines; group++) {
    router.push(...endpointGroup(ENTITIES[group % ENTITIES.length]!, Math.floor(group / ENTITIES.length) * ENTITIES.length + (group % ENTITIES.length), random));
  }
  const largeRouter = 'src/routes.ts';
  return {
    largeRouter,
    files: [
      { path: 'package.json', text: `${JSON.stringify({ name: 'bench-express', private: true, dependencies: { express: '^4.19.0' } }, null, 2)}\n` },
      { path: 'tsconfig.json', text: `${JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022' }, include: ['src'] }, null, 2)}\n` },
      { path: 'src/services.ts', text: SERVICES },
      {
        path: 'src/main.ts',
        text: "import express from 'express';\nimport { router } from './routes';\n\nconst app = express();\napp.use(express.json());\napp.use(router);\napp.listen(3000);\n",
      },
      { path: largeRouter, text: `${router.join('\n')}\n` },
    ],
  };
}
