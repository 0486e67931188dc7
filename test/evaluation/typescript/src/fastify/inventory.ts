import Fastify, { FastifyReply, FastifyRequest } from "fastify";
import { PrismaClient } from "@prisma/client";

const fastify = Fastify({ logger: true });
const prisma = new PrismaClient();

// Hot stock counters, warmed from the database at boot.
const stock: Record<string, number> = {};
const stats = { reservations: 0, unitsReleased: 0, restocks: 0 };

type ReserveBody = { sku: string; qty: number; orderId: string };

async function releaseExpired(sku: string): Promise<number> {
  const cutoff = new Date(Date.now() - 15 * 60_000);
  const { count } = await prisma.reservation.updateMany({
    where: { sku, status: "pending", createdAt: { lt: cutoff } },
    data: { status: "expired" },
  });
  return count;
}

fastify.route<{ Body: ReserveBody }>({
  method: "POST",
  url: "/inventory/reserve",
  handler: async (request, reply) => {
    const { sku, qty, orderId } = request.body;
    if ((stock[sku] ?? 0) < qty) {
      return reply.code(409).send({ error: "out of stock" });
    }
    await prisma.reservation.create({ data: { sku, qty, orderId, status: "pending" } });
    stock[sku] -= qty;
    stats.reservations++;
    return { sku, remaining: stock[sku] };
  },
});

fastify.post<{ Body: { sku: string; qty: number } }>("/inventory/restock", async (request) => {
  const { sku, qty } = request.body;
  const before = stock[sku] ?? 0;
  await prisma.stockMovement.create({ data: { sku, delta: qty } });
  stock[sku] = before + qty;
  stats.restocks += 1;
  return { sku, stock: stock[sku] };
});

fastify.post<{ Params: { sku: string } }>("/inventory/:sku/release-expired", async (request) => {
  const { sku } = request.params;
  stats.unitsReleased += await releaseExpired(sku);
  return { sku, releasedTotal: stats.unitsReleased };
});

fastify.get<{ Params: { sku: string } }>("/inventory/:sku", async (request: FastifyRequest<{ Params: { sku: string } }>, reply: FastifyReply) => {
  const row = await prisma.product.findUnique({ where: { sku: request.params.sku } });
  if (!row) {
    return reply.code(404).send();
  }
  stock[row.sku] = row.stock;
  return { sku: row.sku, stock: row.stock };
});

fastify.post<{ Body: { sku: string; qty: number } }>("/inventory/adjust", async (request) => {
  const { sku, qty } = request.body;
  const updated = await prisma.product.update({
    where: { sku },
    data: { stock: { increment: qty } },
  });
  stock[sku] = updated.stock;
  return { sku, stock: updated.stock };
});

async function warm(): Promise<void> {
  const rows = await prisma.product.findMany({ select: { sku: true, stock: true } });
  for (const row of rows) {
    stock[row.sku] = row.stock;
  }
}

warm()
  .then(() => fastify.listen({ port: 3000, host: "0.0.0.0" }))
  .catch((err) => {
    fastify.log.error(err);
    process.exit(1);
  });
