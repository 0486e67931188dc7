"use strict";

const express = require("express");
const crypto = require("node:crypto");
const { MongoClient } = require("mongodb");

const router = express.Router();
const SECRET = process.env.STRIPE_WEBHOOK_SECRET || "";

const mongo = new MongoClient(process.env.MONGO_URL || "mongodb://localhost:27017");
const processedEvents = new Set();
const lastEventAt = {};

function verify(req) {
  const sig = req.header("stripe-signature") || "";
  const expected = crypto.createHmac("sha256", SECRET).update(req.body).digest("hex");
  return sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

async function applyEvent(event) {
  const orders = mongo.db("shop").collection("orders");
  if (event.type === "payment_intent.succeeded") {
    await orders.updateOne({ paymentIntent: event.data.object.id }, { $set: { status: "paid" } });
  } else if (event.type === "charge.refunded") {
    await orders.updateOne({ charge: event.data.object.id }, { $set: { status: "refunded" } });
  }
}

async function notifySlack(text) {
  await fetch(process.env.SLACK_HOOK, { method: "POST", body: JSON.stringify({ text }) });
}

router.post("/webhooks/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  if (!verify(req)) {
    return res.sendStatus(400);
  }
  const event = JSON.parse(req.body.toString("utf8"));
  if (processedEvents.has(event.id)) {
    return res.json({ duplicate: true });
  }
  await applyEvent(event);
  processedEvents.add(event.id);
  lastEventAt[event.type] = Date.now();
  notifySlack(`stripe ${event.type} ${event.id}`);
  res.json({ received: true });
});

router.post("/webhooks/github", express.json(), async (req, res) => {
  const delivery = req.header("x-github-delivery");
  const events = mongo.db("ci").collection("deliveries");
  const inserted = await events.updateOne(
    { _id: delivery },
    { $setOnInsert: { payload: req.body, at: new Date() } },
    { upsert: true },
  );
  if (inserted.upsertedCount === 0) {
    return res.json({ duplicate: true });
  }
  notifySlack(`github ${req.header("x-github-event")}`).catch((err) => console.error("slack failed", err));
  res.sendStatus(202);
});

router.post("/webhooks/replay", express.json(), async (req, res) => {
  const client = new MongoClient(process.env.MONGO_URL || "mongodb://localhost:27017");
  await client.connect();
  try {
    const ids = req.body.ids || [];
    const found = await client.db("shop").collection("webhook_log").find({ _id: { $in: ids } }).toArray();
    for (const doc of found) {
      await applyEvent(doc.event);
    }
    res.json({ replayed: found.length });
  } finally {
    await client.close();
  }
});

module.exports = router;
