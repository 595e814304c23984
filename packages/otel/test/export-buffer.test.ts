/**
 * The retry buffer on its own, with a scripted collector: order, eviction of
 * the oldest, permanent rejections. (The end-to-end outage is in
 * collector-outage.test.ts.)
 */
import { RetryBuffer } from '../src/export-buffer';
import type { OtlpRequest, PostOutcome } from '../src/otlp-post';

type Answer = PostOutcome['kind'];

function harness(maxBytes: number, answers: Answer[]) {
  const sent: string[] = [];
  const drops: [string, number][] = [];
  const buffer = new RetryBuffer({
    signal: 'traces',
    url: 'http://collector/v1/traces',
    headers: {},
    timeoutMillis: 1000,
    maxBytes,
    countDropped: (_signal, reason, items) => drops.push([reason, items]),
    reportFailure: () => undefined,
    random: () => 0.5,
    post: async (request: OtlpRequest, _t, _a, onHandedOff) => {
      onHandedOff();
      const kind = answers.shift() ?? 'delivered';
      if (kind === 'delivered') sent.push(Buffer.from(request.body).toString());
      return kind === 'delivered' ? { kind, response: new Uint8Array() } : kind === 'retryable' ? { kind, reason: 'HTTP 503' } : { kind, reason: 'HTTP 400', status: 400 };
    },
  });
  return { buffer, sent, drops };
}

const body = (text: string): Uint8Array => Buffer.from(text);

describe('RetryBuffer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('a retryable failure keeps the request at the head: it and those behind it arrive once, in order', async () => {
    const { buffer, sent, drops } = harness(1000, ['retryable', 'retryable']);
    buffer.enqueue(body('a'), 1);
    buffer.enqueue(body('b'), 1);
    buffer.enqueue(body('c'), 1);
    await jest.runAllTimersAsync();
    await buffer.whenIdle();
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(drops).toEqual([]);
  });

  test('when full, the oldest requests are evicted and their items counted as buffer_full', async () => {
    const { buffer, sent, drops } = harness(10, ['retryable']);
    buffer.enqueue(body('aaaa'), 4); // goes on the wire, fails, waits
    await Promise.resolve();
    buffer.enqueue(body('bbbb'), 3);
    buffer.enqueue(body('cccc'), 2); // 12 bytes > 10: "aaaa" is evicted
    expect(drops).toEqual([['buffer_full', 4]]);
    expect(buffer.heldBytes).toBe(8);
    await jest.runAllTimersAsync();
    await buffer.whenIdle();
    expect(sent).toEqual(['bbbb', 'cccc']);
  });

  test('a request larger than the whole buffer is dropped at once', () => {
    const { buffer, drops } = harness(3, []);
    buffer.enqueue(body('toolong'), 7);
    expect(drops).toEqual([['buffer_full', 7]]);
  });

  test('a permanent rejection is counted as rejected and not sent again', async () => {
    const { buffer, sent, drops } = harness(1000, ['rejected']);
    buffer.enqueue(body('bad'), 5);
    buffer.enqueue(body('good'), 1);
    await jest.runAllTimersAsync();
    await buffer.whenIdle();
    expect(drops).toEqual([['rejected', 5]]);
    expect(sent).toEqual(['good']);
  });

  test('takeUndelivered leaves out a request already handed to the OS, so a crash flush cannot send it twice', async () => {
    const { buffer } = harness(1000, []);
    buffer.enqueue(body('on-the-wire'), 1); // sending, handed off
    buffer.enqueue(body('waiting'), 1);
    expect(buffer.takeUndelivered().map((r) => Buffer.from(r.body).toString())).toEqual(['waiting']);
  });
});
