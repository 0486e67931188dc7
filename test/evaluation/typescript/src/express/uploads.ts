import express, { Request, Response } from "express";
import fs from "node:fs";
import { mkdir, writeFile, stat } from "node:fs/promises";
import path from "node:path";
import zlib from "node:zlib";
import { createHash } from "node:crypto";
import { promisify } from "node:util";

const gzip = promisify(zlib.gzip);

const UPLOAD_DIR = process.env.UPLOAD_DIR ?? "/var/data/uploads";
fs.mkdirSync(UPLOAD_DIR, { recursive: true });
const allowedTypes: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, "mime-allowlist.json"), "utf8"));

export class UploadStats {
  static bytesStored = 0;
  static filesStored = 0;
}

async function storeBlob(dir: string, name: string, body: Buffer): Promise<number> {
  await mkdir(dir, { recursive: true });
  const compressed = await gzip(body);
  await writeFile(path.join(dir, `${name}.gz`), compressed);
  return compressed.length;
}

export const uploads = express.Router();

uploads.post("/uploads/:owner", express.raw({ limit: "20mb", type: "*/*" }), async (req: Request, res: Response) => {
  const type = req.header("content-type") ?? "application/octet-stream";
  if (!allowedTypes.includes(type)) {
    return res.status(415).end();
  }
  const digest = createHash("sha256").update(req.body).digest("hex");
  const dir = path.join(UPLOAD_DIR, req.params.owner);
  UploadStats.bytesStored += await storeBlob(dir, digest, req.body);
  UploadStats.filesStored++;
  res.status(201).json({ id: digest });
});

uploads.post("/uploads/:owner/legacy", express.raw({ limit: "5mb", type: "*/*" }), (req: Request, res: Response) => {
  const dir = path.join(UPLOAD_DIR, req.params.owner);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  const digest = createHash("md5").update(req.body).digest("hex");
  fs.writeFileSync(path.join(dir, `${digest}.gz`), zlib.gzipSync(req.body));
  res.status(201).json({ id: digest });
});

uploads.get("/uploads/:owner/:id", async (req: Request, res: Response) => {
  const file = path.join(UPLOAD_DIR, req.params.owner, `${req.params.id}.gz`);
  try {
    const info = await stat(file);
    res.setHeader("content-length", info.size);
  } catch {
    return res.sendStatus(404);
  }
  const raw = fs.readFileSync(file);
  res.type("application/octet-stream").send(zlib.gunzipSync(raw));
});

uploads.get("/uploads/:owner/:id/stream", (req: Request, res: Response) => {
  const file = path.join(UPLOAD_DIR, req.params.owner, `${req.params.id}.gz`);
  fs.createReadStream(file).pipe(zlib.createGunzip()).pipe(res);
});
