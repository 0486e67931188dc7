/** The payment provider's HTTP API. */
export async function charge(customer: string, amountCents: number): Promise<string> {
  const response = await fetch('https://payments.example.com/charges', {
    method: 'POST',
    body: JSON.stringify({ customer, amountCents }),
  });
  return ((await response.json()) as { id: string }).id;
}

export async function refund(chargeId: string): Promise<void> {
  await fetch(`https://payments.example.com/charges/${chargeId}/refund`, { method: 'POST' });
}
