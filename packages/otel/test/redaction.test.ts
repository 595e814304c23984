/** createRedactor: secrets, card numbers and e-mails removed, the app's objects untouched. */
import { createRedactor, isSensitiveKey, REDACTED, scrubText as redactString } from '../src/redaction';

describe('redaction', () => {
  const redact = createRedactor();

  test.each(['password', 'newPassword', 'user_password', 'Authorization', 'x-api-key', 'accessToken', 'refresh_token', 'cookie', 'cardNumber', 'card_number', 'cvv', 'client_secret', 'pin'])(
    'the field %s is redacted',
    (key) => expect(isSensitiveKey(key)).toBe(true),
  );

  test.each(['orderId', 'amount', 'status', 'userRole', 'email'])('the field %s is kept', (key) => expect(isSensitiveKey(key)).toBe(false));

  test('nested fields, arrays and the winston splat are redacted; the original is not changed', () => {
    const splat = Symbol.for('splat');
    const original = { message: 'hi', user: { id: 1, password: 'p', tokens: ['a'] }, items: [{ apiKey: 'k' }], [splat]: [{ password: 'q' }] };
    const copy = redact(original);
    expect(copy).toEqual({ message: 'hi', user: { id: 1, password: REDACTED, tokens: REDACTED }, items: [{ apiKey: REDACTED }], [splat]: [{ password: REDACTED }] });
    expect(original.user.password).toBe('p');
    expect((original[splat] as { password: string }[])[0]!.password).toBe('q');
  });

  test('an object with nothing to redact is returned as is', () => {
    const clean = { a: 1, b: { c: 'text' } };
    expect(redact(clean)).toBe(clean);
  });

  test('card numbers keep their last four digits only when they pass the Luhn check', () => {
    expect(redactString('card 4111 1111 1111 1111 used')).toBe('card ****1111 used');
    expect(redactString('card 4111-1111-1111-1111')).toBe('card ****1111');
    expect(redactString('order 1234567890123')).toBe('order 1234567890123');
  });

  test('bearer and basic credentials inside strings', () => {
    expect(redactString('Authorization: Bearer eyJhbGciOi.x.y')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactString('Basic dXNlcjpwYXNz')).toBe(`Basic ${REDACTED}`);
  });

  test('e-mail masking is on by default and can be turned off', () => {
    expect(redact({ note: 'mail jane.doe@example.com' })).toEqual({ note: 'mail j***@example.com' });
    expect(createRedactor({ maskEmails: false })({ note: 'mail jane.doe@example.com' })).toEqual({ note: 'mail jane.doe@example.com' });
  });

  test('extra keys from O4O_OTEL_LOG_REDACT_KEYS', () => {
    expect(createRedactor({ keys: ['nationalid'] })({ national_id: '900101-1234567', name: 'x' })).toEqual({ national_id: REDACTED, name: 'x' });
  });

  test('errors keep their shape: message and stack stay non-enumerable', () => {
    const error = new Error('token=abc failed for jane@example.com');
    const copy = redact({ error }).error;
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).toBe(`token=${REDACTED} failed for j***@example.com`);
    expect(Object.keys(copy)).toEqual([]);
  });

  test('cycles do not loop', () => {
    const a: Record<string, unknown> = { password: 'p' };
    a.self = a;
    expect((redact(a) as Record<string, unknown>).password).toBe(REDACTED);
  });
});
