import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const TEMPLATE = '<h1>Order {{order}}</h1><ul>{{lines}}</ul><p>Total: {{total}}</p>';

function render(orderId: number, totalCents: number, lines: string[]): string {
  return TEMPLATE.replace('{{order}}', String(orderId))
    .replace('{{lines}}', lines.map((line) => `<li>${line}</li>`).join(''))
    .replace('{{total}}', (totalCents / 100).toFixed(2));
}

/** Renders an invoice from the order's archived line items, reading them from disk on every call. */
export function renderInvoice(orderId: number, totalCents: number): string {
  const lines = JSON.parse(readFileSync(`archive/order-${orderId}.json`, 'utf8')) as string[];
  return render(orderId, totalCents, lines);
}

/** The same, reading the line items without holding the event loop. */
export async function renderInvoiceAsync(orderId: number, totalCents: number): Promise<string> {
  const lines = JSON.parse(await readFile(`archive/order-${orderId}.json`, 'utf8')) as string[];
  return render(orderId, totalCents, lines);
}
