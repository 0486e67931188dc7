import { Body, Controller, Get, Injectable, Param, Post } from "@nestjs/common";
import { generateKeyPairSync, randomBytes, scryptSync, generateKeyPair } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { Pool } from "pg";

const generateKeyPairAsync = promisify(generateKeyPair);

@Injectable()
export class AuditService {
  private readonly pool = new Pool({ connectionString: process.env.AUDIT_DB_URL });

  async record(actor: string, action: string, detail: unknown): Promise<void> {
    await this.pool.query("insert into audit_log (actor, action, detail) values ($1, $2, $3)", [actor, action, detail]);
  }
}

@Injectable()
export class KeyStore {
  private readonly pool = new Pool({ connectionString: process.env.DATABASE_URL });
  private readonly pepper: string;

  constructor() {
    this.pepper = readFileSync(process.env.PEPPER_FILE ?? "/run/secrets/pepper", "utf8").trim();
  }

  async save(owner: string, publicKey: string, secretHash: string): Promise<string> {
    const { rows } = await this.pool.query(
      "insert into signing_keys (owner, public_key, secret_hash) values ($1, $2, $3) returning id",
      [owner, publicKey, secretHash],
    );
    return rows[0].id;
  }

  async publicKey(id: string): Promise<string | null> {
    const { rows } = await this.pool.query("select public_key from signing_keys where id = $1", [id]);
    return rows[0]?.public_key ?? null;
  }

  get pepperValue() {
    return this.pepper;
  }
}

@Controller("keys")
export class KeysController {
  constructor(private readonly store: KeyStore, private readonly audit: AuditService) {}

  @Post(":owner")
  async create(@Param("owner") owner: string) {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519", {
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const secret = randomBytes(24).toString("base64url");
    const secretHash = scryptSync(secret + this.store.pepperValue, owner, 64).toString("hex");
    const id = await this.store.save(owner, publicKey, secretHash);
    this.audit.record(owner, "key.created", { id });
    return { id, privateKey, secret };
  }

  @Post(":owner/async")
  async createAsync(@Param("owner") owner: string) {
    const { publicKey, privateKey } = await generateKeyPairAsync("ed25519", {
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const id = await this.store.save(owner, publicKey, "");
    void this.audit.record(owner, "key.created", { id, async: true });
    return { id, privateKey };
  }

  @Post("bulk/lookup")
  async bulkLookup(@Body() body: { ids: string[] }) {
    const keys = await Promise.all(body.ids.map((id) => this.store.publicKey(id)));
    return body.ids.map((id, i) => ({ id, publicKey: keys[i] }));
  }

  @Get(":id/with-audit")
  async withAudit(@Param("id") id: string) {
    const [publicKey] = await Promise.all([this.store.publicKey(id), this.audit.record("api", "key.read", { id })]);
    return { id, publicKey };
  }
}
