import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Renders an invoice from the HTML template, reading the template from disk on every call. */
export function renderInvoice(orderId: number, totalCents: number): string {
  const template = readFileSync('templates/invoice.html', 'utf8');
  return template.replace('{{order}}', String(orderId)).replace('{{total}}', (totalCents / 100).toFixed(2));
}

/** The same, reading the template without holding the event loop. */
export async function renderInvoiceAsync(orderId: number, totalCents: number): Promise<string> {
  const template = await readFile('templates/invoice.html', 'utf8');
  return template.replace('{{order}}', String(orderId)).replace('{{total}}', (totalCents / 100).toFixed(2));
}
