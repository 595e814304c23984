/**
 * Trace and span ids from a pool of random bytes: one `randomFillSync` per
 * 256 span ids instead of the SDK's `Math.random` per four bytes, and the hex
 * string made by Buffer's native encoder. An all-zero id is invalid (W3C
 * Trace Context), so one is never handed out.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;

export class IdPool {
  private readonly pool = Buffer.allocUnsafe(POOL_BYTES);
  private offset = POOL_BYTES;

  /** 32 lower-case hex characters. */
  traceId(): string {
    return this.take(16);
  }

  /** 16 lower-case hex characters. */
  spanId(): string {
    return this.take(8);
  }

  private take(bytes: number): string {
    if (this.offset + bytes > POOL_BYTES) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const start = this.offset;
    this.offset = start + bytes;
    const pool = this.pool;
    for (let i = start; i < start + bytes; i++) if (pool[i] !== 0) return pool.toString('hex', start, start + bytes);
    pool[start + bytes - 1] = 1;
    return pool.toString('hex', start, start + bytes);
  }
}
