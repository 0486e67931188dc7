import type { NextApiRequest, NextApiResponse } from "next";
import { PrismaClient } from "@prisma/client";
import { getServerSession } from "next-auth/next";
import { authOptions } from "../../../lib/auth";
import { createPaymentIntent } from "../../../lib/stripe";

type TopupResponse = { clientSecret: string; pendingTotal: number } | { error: string };

const pendingByUser: Record<string, number> = {};

async function sendReceipt(email: string, amount: number): Promise<void> {
  await fetch(process.env.RECEIPTS_URL!, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, amount }),
  });
}

export default async function handler(req: NextApiRequest, res: NextApiResponse<TopupResponse>) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return res.status(405).json({ error: "method not allowed" });
  }

  const session = await getServerSession(req, res, authOptions);
  if (!session?.user?.email) {
    return res.status(401).json({ error: "unauthenticated" });
  }

  const amount = Number(req.body.amount);
  if (!Number.isInteger(amount) || amount < 500 || amount > 100_000) {
    return res.status(400).json({ error: "invalid amount" });
  }

  const prisma = new PrismaClient();
  try {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: session.user.email } });
    const pending = pendingByUser[user.id] ?? 0;
    if (pending + amount > 200_000) {
      return res.status(409).json({ error: "too many pending top-ups" });
    }
    const intent = await createPaymentIntent({ amount, currency: "eur", customer: user.stripeCustomerId });
    pendingByUser[user.id] = pending + amount;
    await prisma.topup.create({ data: { userId: user.id, amount, intentId: intent.id, status: "pending" } });
    sendReceipt(session.user.email, amount);
    return res.status(201).json({ clientSecret: intent.client_secret!, pendingTotal: pendingByUser[user.id] });
  } finally {
    await prisma.$disconnect();
  }
}
