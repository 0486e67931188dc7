import { NextRequest, NextResponse } from "next/server";
import { PrismaClient } from "@prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };
export const prisma = globalForPrisma.prisma ?? new PrismaClient();
if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = prisma;

export const dynamic = "force-dynamic";

const tally: Record<string, { up: number; down: number }> = {};
let lastVoteAt = 0;

function getPrisma(): PrismaClient {
  if (!globalForPrisma.prisma) {
    globalForPrisma.prisma = new PrismaClient();
  }
  return globalForPrisma.prisma;
}

export async function GET(request: NextRequest) {
  const pollId = request.nextUrl.searchParams.get("poll");
  if (!pollId) return NextResponse.json({ error: "poll required" }, { status: 400 });
  const cached = tally[pollId];
  if (cached) return NextResponse.json(cached);
  const rows = await prisma.vote.groupBy({ by: ["direction"], where: { pollId }, _count: true });
  const counts = { up: 0, down: 0 };
  for (const row of rows) {
    counts[row.direction as "up" | "down"] = row._count;
  }
  tally[pollId] = counts;
  return NextResponse.json(counts);
}

export async function POST(request: NextRequest) {
  const { pollId, direction, voterId } = (await request.json()) as {
    pollId: string;
    direction: "up" | "down";
    voterId: string;
  };
  const current = tally[pollId] ?? { up: 0, down: 0 };
  await getPrisma().vote.upsert({
    where: { pollId_voterId: { pollId, voterId } },
    create: { pollId, voterId, direction },
    update: { direction },
  });
  tally[pollId] = { ...current, [direction]: current[direction] + 1 };
  lastVoteAt = Date.now();
  return NextResponse.json(tally[pollId], { status: 201 });
}

export async function DELETE(request: NextRequest) {
  const pollId = request.nextUrl.searchParams.get("poll")!;
  await prisma.vote.deleteMany({ where: { pollId } });
  delete tally[pollId];
  return new NextResponse(null, { status: 204 });
}
