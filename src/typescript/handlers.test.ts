import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModuleFacts } from '../core/facts';
import { analyzeTypeScript } from './frontend';

function roles(source: string, path = '/p/src/app.ts'): string[] {
  const module: ModuleFacts = analyzeTypeScript(source, path, 'src/app').facts;
  return module.functions
    .filter((fn) => fn.kind !== 'plain')
    .map((fn) => `${fn.range.start.line + 1} ${fn.kind} ${fn.framework ?? '-'}${fn.httpMethods ? ` ${fn.httpMethods.join(',')}` : ''}`);
}

describe('TypeScript handler detection', () => {
  it('finds Express routes on apps and routers, route chains, middleware and wrapped handlers', () => {
    const found = roles(`
import express, { Router } from 'express';
import asyncHandler from 'express-async-handler';
const app = express();
const router = Router();
app.get('/a', (req, res) => res.end());
router.post('/b', auth, asyncHandler(async (req, res) => res.end()));
app.route('/c').get((req, res) => res.end()).put((req, res) => res.end());
app.use((req, res, next) => next());
function auth(req: express.Request, res: express.Response, next: express.NextFunction) { next(); }
app.all('/d', [function first(req, res, next) { next(); }]);
app.listen(3000, () => console.log('up'));
`);
    assert.deepEqual(found, [
      '6 route express GET',
      '7 route express POST',
      '8 route express GET',
      '8 route express PUT',
      '9 route express',
      '10 route express POST',
      '11 route express',
    ]);
  });

  it('finds Fastify routes, route options, plugins (run once) and hooks', () => {
    const found = roles(`
import Fastify from 'fastify';
const server = Fastify({ logger: true });
server.get('/a', { schema: {} }, async (request, reply) => reply.send());
server.route({ method: ['POST', 'PUT'], url: '/b', handler: async (request) => request.body });
server.register(async (instance) => {
  instance.get('/c', async () => 'c');
});
server.addHook('onRequest', async (request) => undefined);
server.addHook('onClose', async () => undefined);
`);
    assert.deepEqual(found, [
      '4 route fastify GET',
      '5 route fastify POST,PUT',
      '6 startup fastify',
      '7 route fastify GET',
      '9 route fastify',
      '10 shutdown fastify',
    ]);
  });

  it('finds NestJS controller routes, provider methods and lifecycle hooks', () => {
    const found = roles(`
import { Controller, Get, Injectable, OnModuleDestroy, Post } from '@nestjs/common';
@Injectable()
export class Orders implements OnModuleDestroy {
  list() { return []; }
  async onModuleDestroy() {}
}
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: Orders) {}
  @Get() all() { return this.orders.list(); }
  @Post(':id') async create() { return 1; }
  helper() { return 2; }
}
`);
    assert.deepEqual(found, ['5 dependency nestjs', '6 shutdown nestjs', '11 route nestjs GET', '12 route nestjs POST']);
  });

  it('finds Koa middleware and router routes, Hono routes and http.createServer callbacks', () => {
    assert.deepEqual(
      roles(`
import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => { await next(); });
router.get('/a', async (ctx) => { ctx.body = 1; });
`),
      ['6 route koa', '7 route koa GET'],
    );
    assert.deepEqual(
      roles(`
import Router from 'koa-router';
const router = new Router();
const cron = async (ctx) => { ctx.body = 1; };
router.register('cron.:period', ['get', 'post'], [validate(), cron]);
`),
      ['4 route koa GET,POST'],
    );
    assert.deepEqual(
      roles(`
import { Hono } from 'hono';
const app = new Hono();
app.get('/a', (c) => c.text('a')).post('/b', async (c) => c.json({}));
`),
      ['4 route hono GET', '4 route hono POST'],
    );
    assert.deepEqual(
      roles(`
import http from 'node:http';
const server = http.createServer((req, res) => res.end());
server.on('request', (req, res) => res.end());
`),
      ['3 route node-http', '4 route node-http'],
    );
  });

  it('finds Next.js API routes and route handlers by their file', () => {
    assert.deepEqual(roles('export default async function handler(req, res) { res.json({}); }\n', '/p/pages/api/orders.ts'), ['1 route nextjs']);
    assert.deepEqual(
      roles('export async function GET() { return Response.json([]); }\nexport const POST = async (request: Request) => new Response();\nexport function helper() {}\n', '/p/app/orders/route.ts'),
      ['1 route nextjs GET', '2 route nextjs POST'],
    );
  });

  it('finds controllers written in their own module by their request and response parameters', () => {
    assert.deepEqual(
      roles(`
import type { Request, Response } from 'express';
export async function createOrder(req: Request, res: Response) { res.end(); }
export const orders = { list(req, res) { res.json([]); } };
export function helper(a: number, b: number) { return a + b; }
`),
      ['3 route express', '4 route express'],
    );
  });
});
