import { NextResponse } from "next/server";
import { gzipSync, brotliCompress, constants } from "node:zlib";
import { promisify } from "node:util";
import { MongoClient, ObjectId } from "mongodb";

const brotli = promisify(brotliCompress);

const client = new MongoClient(process.env.MONGO_URL!);
const clientPromise = client.connect();

export const runtime = "nodejs";

async function loadInvoice(id: string) {
  const db = (await clientPromise).db("billing");
  return db.collection("invoices").findOne({ _id: new ObjectId(id) });
}

export async function GET(request: Request) {
  const url = new URL(request.url);
  const ids = url.searchParams.getAll("id");
  const invoices = await Promise.all(ids.map((id) => loadInvoice(id)));
  const payload = JSON.stringify(invoices.filter(Boolean));
  const body = gzipSync(payload);
  fetch(process.env.EXPORT_AUDIT_URL!, { method: "POST", body: JSON.stringify({ ids, bytes: body.length }) });
  return new NextResponse(body, {
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  });
}

export async function POST(request: Request) {
  const { customerId, format } = (await request.json()) as { customerId: string; format: "br" | "json" };
  const db = (await clientPromise).db("billing");
  const [invoices, customer] = await Promise.all([
    db.collection("invoices").find({ customerId }).sort({ issuedAt: -1 }).limit(500).toArray(),
    db.collection("customers").findOne({ _id: new ObjectId(customerId) }),
  ]);
  const payload = JSON.stringify({ customer, invoices });
  if (format === "br") {
    const body = await brotli(payload, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    return new NextResponse(body, { headers: { "content-encoding": "br", "content-type": "application/json" } });
  }
  return NextResponse.json({ customer, invoices });
}
