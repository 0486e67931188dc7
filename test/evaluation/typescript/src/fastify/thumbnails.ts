import fp from "fastify-plugin";
import type { FastifyInstance, FastifyPluginOptions } from "fastify";
import { execFile, execSync, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import path from "node:path";
import pLimit from "p-limit";

const execFileAsync = promisify(execFile);
const convertLimit = pLimit(2);

// Resolved once when the plugin module loads.
const CONVERT = execSync("command -v convert || echo /usr/bin/convert").toString().trim();

type ThumbRequest = { keys: string[]; width: number };

async function fetchObject(key: string): Promise<string> {
  const target = path.join(tmpdir(), path.basename(key));
  await execFileAsync("aws", ["s3", "cp", `s3://media/${key}`, target]);
  return target;
}

async function resize(file: string, width: number): Promise<string> {
  const out = file.replace(/(\.\w+)$/, `-w${width}$1`);
  await execFileAsync(CONVERT, [file, "-resize", String(width), out]);
  return out;
}

async function thumbnails(fastify: FastifyInstance, _opts: FastifyPluginOptions) {
  fastify.post<{ Body: ThumbRequest }>("/thumbnails", async (request) => {
    const { keys, width } = request.body;
    const files = await Promise.all(keys.map((key) => fetchObject(key)));
    const outputs = await Promise.all(files.map((file) => convertLimit(() => resize(file, width))));
    return { outputs };
  });

  fastify.post<{ Body: { key: string } }>("/thumbnails/probe", async (request) => {
    const file = await fetchObject(request.body.key);
    const probe = spawnSync("identify", ["-format", "%w %h", file], { encoding: "utf8" });
    const [w, h] = probe.stdout.split(" ").map(Number);
    return { width: w, height: h };
  });

  fastify.post<{ Body: { key: string; width: number } }>("/thumbnails/sync", async (request) => {
    const file = await fetchObject(request.body.key);
    const out = file.replace(/(\.\w+)$/, "-thumb$1");
    execSync(`${CONVERT} ${file} -resize ${request.body.width} ${out}`);
    return { output: out };
  });

  fastify.get("/thumbnails/health", async () => {
    const { stdout } = await execFileAsync(CONVERT, ["-version"]);
    return { convert: stdout.split("\n")[0] };
  });
}

export default fp(thumbnails, { name: "thumbnails" });
