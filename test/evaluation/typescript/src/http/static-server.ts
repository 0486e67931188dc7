import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { readFile, appendFile } from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";

const ROOT = path.resolve(process.env.STATIC_ROOT ?? "./public");
const INDEX_HTML = readFileSync(path.join(ROOT, "index.html"));
const MIME: Record<string, string> = JSON.parse(readFileSync(path.join(__dirname, "mime.json"), "utf8"));

let openRequests = 0;
const etags = new Map<string, string>();

async function logRequest(req: IncomingMessage, status: number): Promise<void> {
  await appendFile("/var/log/static/access.log", `${new Date().toISOString()} ${req.method} ${req.url} ${status}\n`);
}

async function serveAsset(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const body = await readFile(file);
  const tag = etags.get(file) ?? createHash("sha1").update(body).digest("hex");
  etags.set(file, tag);
  if (req.headers["if-none-match"] === tag) {
    res.writeHead(304).end();
    return;
  }
  res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream", etag: tag });
  res.end(body);
}

const server = createServer((req, res) => {
  openRequests++;
  res.on("close", () => {
    openRequests--;
  });
  const url = new URL(req.url ?? "/", "http://localhost");

  if (url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(INDEX_HTML);
    logRequest(req, 200);
    return;
  }

  if (url.pathname === "/version") {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
    res.end(JSON.stringify({ version: pkg.version, openRequests }));
    return;
  }

  const file = path.join(ROOT, path.normalize(url.pathname));
  if (!file.startsWith(ROOT)) {
    res.writeHead(403).end();
    return;
  }

  if (url.searchParams.has("size")) {
    const info = statSync(file, { throwIfNoEntry: false });
    res.end(JSON.stringify({ size: info?.size ?? null }));
    return;
  }

  serveAsset(req, res, file)
    .then(() => logRequest(req, res.statusCode))
    .catch(() => {
      res.writeHead(404).end();
    });
});

server.listen(8080);
