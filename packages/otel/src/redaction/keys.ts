/**
 * Which names hold secrets: field names in log records, and parameter names in
 * URL query strings and `key=value` text. Matching ignores case, `-`, `_` and
 * spaces, so `X-Api-Key`, `api_key` and `apiKey` are one name.
 */

/** Normalised names whose value is always redacted. */
const EXACT_KEYS = new Set(['pin', 'cvv', 'cvc', 'cvv2', 'pan', 'ssn', 'otp', 'session', 'sessionid', 'sid', 'jwt', 'auth']);
/** Normalised fragments: a name containing one of these is redacted (`newPassword`, `x-api-key`). */
const KEY_FRAGMENTS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'authorization', 'apikey', 'cookie', 'cardnumber', 'creditcard', 'privatekey', 'credential'];
/**
 * Names that are secret in a query string but ordinary as log fields: an OAuth
 * `code`, a signed URL's `signature`, a `key` parameter, session ids.
 */
const QUERY_EXACT = new Set(['key', 'code', 'sig', 'signature', 'xamzsignature', 'xgoogsignature', 'hmac', 'nonce']);
const QUERY_FRAGMENTS = ['session', 'auth'];

/** Longer names are not names a secret goes by; checking them would only cost time. */
const MAX_NAME_LENGTH = 128;

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

export function isSensitiveKey(key: string, extra: ReadonlySet<string> = new Set()): boolean {
  if (key.length > MAX_NAME_LENGTH) return false;
  const k = normaliseName(key);
  if (EXACT_KEYS.has(k) || extra.has(k)) return true;
  for (const fragment of KEY_FRAGMENTS) if (k.includes(fragment)) return true;
  return false;
}

export function isSensitiveQueryParameter(name: string, extra: ReadonlySet<string> = new Set()): boolean {
  if (isSensitiveKey(name, extra)) return true;
  if (name.length > MAX_NAME_LENGTH) return false;
  const k = normaliseName(name);
  if (QUERY_EXACT.has(k)) return true;
  for (const fragment of QUERY_FRAGMENTS) if (k.includes(fragment)) return true;
  return false;
}
