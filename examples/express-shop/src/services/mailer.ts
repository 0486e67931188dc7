import nodemailer from 'nodemailer';
import { settings } from '../config.js';

const transport = nodemailer.createTransport({ host: settings.smtpHost, port: 25 });

export async function sendReceipt(to: string, orderId: number): Promise<void> {
  await transport.sendMail({ from: 'shop@example.com', to, subject: `Your order ${orderId}`, text: 'Thank you!' });
}
