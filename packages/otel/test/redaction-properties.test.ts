/**
 * The redactor against random and adversarial input: it never throws, lets no
 * planted secret through, and its work stays within the per-record budget
 * (counted in values visited and characters scanned, not in milliseconds).
 */
import fc from 'fast-check';
import { createRedactor, REDACTED, scrubText, scrubUrl, type RedactionLimits, type RedactionWork } from '../src/redaction';

const MB = 1_000_000;

/** A 16-digit number that passes the Luhn check. */
function luhnValid(body15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i += 1) {
    let d = body15.charCodeAt(14 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body15 + String((10 - (sum % 10)) % 10);
}

/** The patterns the redactor replaced: reference semantics on short inputs. */
const OLD_CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const OLD_EMAIL = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function recording(limits?: Partial<RedactionLimits>): { redact: <T>(v: T) => T; work: RedactionWork[] } {
  const work: RedactionWork[] = [];
  return { redact: createRedactor({ limits, onWork: (w) => work.push(w) }), work };
}

/** Text made of the characters that matter to the scanners. */
const trickyText = fc
  .array(fc.constantFrom('a', 'Z', '0', '4', '1', '9', ' ', '-', '.', '@', '=', '&', '_', '+', '%', 'token', 'Bearer ', 'basic\t', 'key', 'x.co', '\u0000', '\u001b[2J', 'é', '\n'), { maxLength: 60 })
  .map((parts) => parts.join(''));

describe('scrubText on random text', () => {
  test('no Luhn-valid card number survives', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        const out = scrubText(text);
        for (const match of out.matchAll(OLD_CARD)) expect(luhn(match[0].replace(/[ -]/g, ''))).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  test('no e-mail address survives unmasked', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        expect(OLD_EMAIL.test(scrubText(text))).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  test('no credential after Bearer or Basic survives', () => {
    fc.assert(
      fc.property(trickyText, fc.stringMatching(/^[A-Za-z0-9._~+/=-]{8,30}$/), (before, token) => {
        const out = scrubText(`${before} Bearer ${token} and basic ${token}`);
        expect(out).not.toContain(token);
      }),
      { numRuns: 1_000 },
    );
  });

  test('planted secrets in key=value text and URLs are removed', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/);
    const name = fc.constantFrom('token', 'access_token', 'api_key', 'apiKey', 'password', 'client_secret', 'session_id', 'signature', 'code', 'auth');
    fc.assert(
      fc.property(trickyText, name, secret, (noise, key, value) => {
        expect(scrubText(`${noise} ${key}=${value}&x=1`)).not.toContain(value);
        expect(scrubUrl(`https://shop.example/items?a=1&${key}=${value}#frag`)).not.toContain(value);
        expect(scrubUrl(`q=${encodeURIComponent(noise)}&${key}=${value}`)).not.toContain(value);
      }),
      { numRuns: 1_000 },
    );
  });

  test('text without secrets comes back unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z ,.!?]{0,80}$/), (text) => {
        expect(scrubText(text)).toBe(text);
      }),
    );
  });
});

describe('adversarial strings up to 1 MB complete (linear-time scans)', () => {
  const inputs: Record<string, string> = {
    'a.a.a. (e-mail local part, no @)': 'a.'.repeat(MB / 2),
    'a.a.a. then @': `${'a.'.repeat(MB / 2)}@`,
    'a@a@a@': 'a@'.repeat(MB / 2),
    'a@b.c': 'a@b.c'.repeat(MB / 5),
    'x@ then dots': `x@${'a.'.repeat(MB / 2)}`,
    'digits with spaces': '1 '.repeat(MB / 2),
    'digits only': '4'.repeat(MB),
    'token=token=': 'token='.repeat(MB / 6),
    'a=a=a=': 'a='.repeat(MB / 2),
    'Bearer Bearer': 'Bearer '.repeat(MB / 7),
    'bearer then spaces': `bearer${' '.repeat(MB)}`,
    'control characters': '\u0000\u001b\u0007'.repeat(MB / 3),
  };

  test.each(Object.entries(inputs))('%s', (_name, input) => {
    const { redact, work } = recording();
    const out = redact({ message: 'search', q: input });
    expect(typeof out.q).toBe('string');
    expect(work[0]!.chars).toBeLessThanOrEqual(1_048_576);
    expect(scrubUrl(`/search?q=${input.slice(0, 100_000)}&token=s3cr3tvalue`)).not.toContain('s3cr3tvalue');
  });
});

/** Random values, including the shapes JSON and JavaScript can take. */
const anyValue = fc.anything({
  maxDepth: 6,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

describe('createRedactor on random values', () => {
  test('never throws, and reports work within the budget', () => {
    const limits = { maxNodes: 200, maxChars: 5_000 };
    fc.assert(
      fc.property(anyValue, (value) => {
        const { redact, work } = recording(limits);
        redact(value);
        expect(work).toHaveLength(1);
        expect(work[0]!.nodes).toBeLessThanOrEqual(limits.maxNodes);
        expect(work[0]!.chars).toBeLessThanOrEqual(limits.maxChars);
      }),
      { numRuns: 1_000 },
    );
  });

  test('a planted secret field or card number never comes out, whatever surrounds it', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{16,24}$/);
    const card = fc.stringMatching(/^[1-9][0-9]{14}$/).map(luhnValid);
    const key = fc.constantFrom('password', 'accessToken', 'x-api-key', 'Authorization', 'client_secret', 'cookie', 'cvv');
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 5 }), key, secret, card, fc.nat({ max: 4 }), (noise, field, value, pan, depth) => {
        let planted: Record<string, unknown> = { [field]: value, note: `paid with ${pan}` };
        for (let i = 0; i < depth; i += 1) planted = { level: i, child: planted, noise };
        const { redact } = recording();
        const out = JSON.stringify(redact({ message: 'm', planted }), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
        expect(out).not.toContain(value);
        expect(out).not.toContain(pan);
      }),
      { numRuns: 500 },
    );
  });
});

describe('createRedactor on adversarial graphs', () => {
  /** 4 keys per level, every key pointing at the same child: 4^levels paths, `levels` objects. */
  function sharedTower(levels: number): Record<string, unknown> {
    let node: Record<string, unknown> = { password: 'hunter2', leaf: true };
    for (let i = 0; i < levels; i += 1) node = { a: node, b: node, c: node, d: node };
    return node;
  }

  test('shared references are visited once: a 4 x 14 tower costs its size, not its paths', () => {
    const { redact, work } = recording({ maxDepth: 20 });
    const out = redact(sharedTower(14));
    expect(work[0]!.nodes).toBeLessThan(200);
    expect(work[0]!.limited).toBe(false);
    // Sharing is kept: the copy is as small as the original.
    let node = out as Record<string, unknown>;
    for (let i = 0; i < 14; i += 1) {
      expect(node.a).toBe(node.d);
      node = node.a as Record<string, unknown>;
    }
    expect(node.password).toBe(REDACTED);
  });

  test('a cycle points at the copy, never back at an original holding a secret', () => {
    const a: Record<string, unknown> = { password: 'p', list: [] as unknown[] };
    a.self = a;
    (a.list as unknown[]).push(a);
    const { redact } = recording();
    const copy = redact(a);
    expect(copy).not.toBe(a);
    expect(copy.self).toBe(copy);
    expect((copy.list as unknown[])[0]).toBe(copy);
    expect(copy.password).toBe(REDACTED);
  });

  test('wide, deep and long inputs stop at the budget and say so', () => {
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const deep = JSON.parse(`${'{"x":'.repeat(5_000)}1${'}'.repeat(5_000)}`) as unknown;
    const long = Array.from({ length: 50 }, () => 'x'.repeat(100_000));
    for (const value of [wide, deep, long]) {
      const { redact, work } = recording({ maxNodes: 1_000, maxChars: 200_000 });
      const out = JSON.stringify(redact({ message: 'big', value }));
      expect(work[0]!.nodes).toBeLessThanOrEqual(1_000);
      expect(work[0]!.chars).toBeLessThanOrEqual(200_000);
      expect(work[0]!.limited).toBe(true);
      expect(out).toContain('[Truncated');
      expect(out.length).toBeLessThan(400_000);
    }
  });

  test('getters and proxies that throw yield a marker, not an exception', () => {
    const hostile = {
      get boom(): never {
        throw new Error('getter');
      },
      fine: 'ok',
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    const { redact } = recording();
    const out = redact({ message: 'm', hostile, proxy, [Symbol.for('level')]: 'info' });
    expect(out.hostile).toEqual({ boom: '[Unreadable]', fine: 'ok' });
    expect(out.proxy).toBe('[Unreadable]');
    expect(out[Symbol.for('level')]).toBe('info');
  });

  test("a model's toJSON output is what gets redacted", () => {
    const model = { toJSON: () => ({ email: 'jane@example.com', name: 'Jane', password: 'p' }) };
    const out = recording().redact({ user: model });
    expect(out.user).toEqual({ email: 'j***@example.com', name: 'Jane', password: REDACTED });
  });

  test("winston's fields survive the budget: symbols kept, splat stays an array", () => {
    const level = Symbol.for('level');
    const splat = Symbol.for('splat');
    const info = { level: 'info', message: 'x'.repeat(5_000), extra: 'y'.repeat(5_000), [level]: 'info', [splat]: [{ a: 'z'.repeat(5_000) }] };
    const out = recording({ maxChars: 2_000 }).redact(info);
    expect(out[level]).toBe('info');
    expect(Array.isArray(out[splat])).toBe(true);
    expect(String(out.message).length).toBeLessThan(2_100);
  });

  test('a huge field before the message cannot use up the budget of level and message', () => {
    const out = recording({ maxChars: 2_000 }).redact({ q: 'a'.repeat(1_000_000), level: 'info', message: 'search' });
    expect(out).toMatchObject({ level: 'info', message: 'search' });
    expect(Object.keys(out)).toEqual(['q', 'level', 'message']);
    expect(out.q.length).toBeLessThan(2_100);
  });
});
