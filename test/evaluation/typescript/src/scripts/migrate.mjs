#!/usr/bin/env node
// Applies pending SQL migrations to the local SQLite database, then seeds fixtures.
import { readdirSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { execSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const here = path.dirname(fileURLToPath(import.meta.url));
const MIGRATIONS = path.join(here, "..", "..", "migrations");
const DB_FILE = process.env.SQLITE_FILE ?? path.join(here, "..", "..", "app.db");

function applied(db) {
  db.exec("create table if not exists _migrations (name text primary key, applied_at text not null)");
  return new Set(db.prepare("select name from _migrations").all().map((r) => r.name));
}

function migrate() {
  const db = new Database(DB_FILE);
  const done = applied(db);
  const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql")).sort();
  const record = db.prepare("insert into _migrations (name, applied_at) values (?, datetime('now'))");
  let count = 0;
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = readFileSync(path.join(MIGRATIONS, file), "utf8");
    db.transaction(() => {
      db.exec(sql);
      record.run(file);
    })();
    count++;
    console.log(`applied ${file}`);
  }
  db.close();
  return count;
}

function seed() {
  const fixtures = path.join(here, "fixtures.json");
  if (!existsSync(fixtures)) return;
  const db = new Database(DB_FILE);
  const rows = JSON.parse(readFileSync(fixtures, "utf8"));
  const insert = db.prepare("insert or ignore into products (sku, name, price) values (@sku, @name, @price)");
  db.transaction((items) => items.forEach((item) => insert.run(item)))(rows);
  db.close();
}

const count = migrate();
seed();
const rev = execSync("git rev-parse --short HEAD").toString().trim();
writeFileSync(path.join(here, "..", "..", ".migrated"), `${rev} ${count}\n`);
console.log(`done: ${count} migration(s) at ${rev}`);
