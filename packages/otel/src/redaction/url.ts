/**
 * Secrets in URLs: the values of sensitive query parameters (`token`, `api_key`,
 * `signature`, `code`, `session`... see keys.ts) and the password of a
 * `user:password@` part become `REDACTED`. Works on a full URL (`url.full`) or on
 * a bare query string (`url.query`), in one linear pass, without URL parsing
 * that could throw or re-encode what it keeps.
 */
import { isSensitiveQueryParameter } from './keys';

const MASK = 'REDACTED';

function scrubQueryString(query: string, keys: ReadonlySet<string>): string {
  let changed = false;
  const parts = query.split('&');
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    if (eq === -1 || eq === part.length - 1) continue;
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: judge the name as written
    }
    if (!isSensitiveQueryParameter(name, keys)) continue;
    parts[i] = `${rawName}=${MASK}`;
    changed = true;
  }
  return changed ? parts.join('&') : query;
}

/** The password of `scheme://user:password@host`. */
function scrubUserInfo(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme === -1) return url;
  const authorityEnd = (() => {
    for (let i = scheme + 3; i < url.length; i += 1) {
      const c = url[i];
      if (c === '/' || c === '?' || c === '#') return i;
    }
    return url.length;
  })();
  const at = url.lastIndexOf('@', authorityEnd - 1);
  if (at <= scheme) return url;
  const colon = url.indexOf(':', scheme + 3);
  if (colon === -1 || colon > at || url.slice(colon + 1, at) === MASK) return url;
  return `${url.slice(0, colon + 1)}${MASK}${url.slice(at)}`;
}

/** A full URL, a path with a query, or a bare query string (`a=1&token=x`). */
export function scrubUrl(url: string, keys: ReadonlySet<string> = new Set()): string {
  const withoutUser = scrubUserInfo(url);
  const question = withoutUser.indexOf('?');
  const looksLikeQuery = question === -1 && !withoutUser.includes('/') && withoutUser.includes('=');
  if (question === -1 && !looksLikeQuery) return withoutUser;
  const start = looksLikeQuery ? 0 : question + 1;
  const hash = withoutUser.indexOf('#', start);
  const end = hash === -1 ? withoutUser.length : hash;
  const query = withoutUser.slice(start, end);
  const scrubbed = scrubQueryString(query, keys);
  return scrubbed === query ? withoutUser : `${withoutUser.slice(0, start)}${scrubbed}${withoutUser.slice(end)}`;
}
