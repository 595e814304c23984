/** Calls the payment provider over HTTP, with a timeout: a slow provider fails the payment, not the shop. */
import type { PaymentMethod } from './entities';

export type PaymentOutcome =
  | { readonly outcome: 'approved'; readonly transactionId: string }
  | { readonly outcome: 'declined'; readonly code: string }
  | { readonly outcome: 'error'; readonly code: string };

export interface PaymentRequest {
  readonly orderId: number;
  readonly amount: number;
  readonly currency: string;
  readonly method: PaymentMethod;
}

export class PaymentClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMillis: number,
  ) {}

  async charge(request: PaymentRequest): Promise<PaymentOutcome> {
    try {
      const response = await fetch(`${this.baseUrl}/v1/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.timeoutMillis),
      });
      const body = (await response.json().catch(() => ({}))) as { transactionId?: string; code?: string };
      if (response.ok) return { outcome: 'approved', transactionId: body.transactionId ?? '' };
      if (response.status === 402) return { outcome: 'declined', code: body.code ?? 'declined' };
      return { outcome: 'error', code: `http_${response.status}` };
    } catch (error) {
      const name = (error as Error).name;
      return { outcome: 'error', code: name === 'TimeoutError' ? 'timeout' : 'unreachable' };
    }
  }

  /** The provider's health URL, for the health check registry. */
  get healthUrl(): string {
    return `${this.baseUrl}/health`;
  }
}
