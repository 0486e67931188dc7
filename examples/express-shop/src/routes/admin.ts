import { Router } from 'express';
import { execFile, execSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as XLSX from 'xlsx';
import { pool } from '../db.js';

export const admin = Router();
const execFileAsync = promisify(execFile);

/** Dashboard views, counted in process memory. */
class Metrics {
  static dashboardViews = 0; // expect: IL103
}

// The counter is read, the stats query awaits, and the count is written back from the stale read.
admin.get('/dashboard', async (req, res) => {
  const views = Metrics.dashboardViews;
  const { rows } = await pool.query('select count(*) as orders from orders');
  Metrics.dashboardViews = views + 1; // expect: IL101
  res.json({ views: Metrics.dashboardViews, orders: rows[0] });
});

// The deployed version, asked of git on every request.
admin.get('/version', (req, res) => {
  res.send(execSync('git rev-parse --short HEAD').toString().trim()); // expect: IL201
});

admin.get('/version-async', async (req, res) => {
  const { stdout } = await execFileAsync('git', ['rev-parse', '--short', 'HEAD']);
  res.send(stdout.trim());
});

// Price lists arrive as spreadsheets, parsed in JavaScript on the event loop.
admin.post('/price-list', async (req, res) => {
  const workbook = XLSX.read(req.body as Buffer); // expect: IL203
  const sheet = workbook.Sheets[workbook.SheetNames[0]!]!;
  const rows = XLSX.utils.sheet_to_json<{ sku: string; priceCents: number }>(sheet); // expect: IL203
  for (const row of rows) await pool.query('update products set price_cents = $1 where sku = $2', [row.priceCents, row.sku]);
  res.json({ updated: rows.length });
});
