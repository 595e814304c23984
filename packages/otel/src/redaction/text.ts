/**
 * Scrubbing of free text (log messages, exception messages, URLs) in time
 * linear in its length. Each pass is a hand-written scan rather than a regular
 * expression: patterns such as an e-mail address, where a run of allowed
 * characters precedes a required `@`, make a backtracking engine try every start
 * position to the end of the run, and `"a.".repeat(100000)` then takes minutes.
 * Every scan below looks at each character a bounded number of times.
 *
 * - card numbers (13-19 digits, single spaces or dashes between them, passing
 *   the Luhn check) keep their last four digits;
 * - `Bearer`/`Basic` credentials are removed;
 * - the value of a `name=value` pair whose name holds a secret is removed
 *   (`token=...`, `api_key=...`, `password=...`);
 * - e-mail addresses keep their first character and domain (`j***@example.com`).
 */
import { isSensitiveQueryParameter } from './keys';

export const REDACTED = '[REDACTED]';

export interface TextScrubOptions {
  readonly maskEmails: boolean;
  /** Extra secret names, normalised (see keys.ts). */
  readonly keys: ReadonlySet<string>;
}

export const DEFAULT_TEXT_OPTIONS: TextScrubOptions = Object.freeze({ maskEmails: true, keys: new Set<string>() });

const CODE_0 = 48;
const CODE_9 = 57;

function isDigit(c: number): boolean {
  return c >= CODE_0 && c <= CODE_9;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `\w` in a regular expression. */
function isWordChar(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 95;
}

/** `\s` in a regular expression. */
function isSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) || c === 32 || c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** A word starts at `i`: the character before it is not a word character. */
function atWordStart(text: string, i: number): boolean {
  return i === 0 || !isWordChar(text.charCodeAt(i - 1));
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - CODE_0;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;

/**
 * The longest card-shaped run starting at `start` (a digit at a word start):
 * digits with at most one space or dash between them, ending at a word end.
 * Returns its end (exclusive) and digits, or undefined.
 */
function cardAt(text: string, start: number): { end: number; digits: string } | undefined {
  let digits = '';
  let i = start;
  let best: { end: number; digits: string } | undefined;
  while (i < text.length && digits.length < MAX_CARD_DIGITS) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      digits += text[i];
      i += 1;
    } else if ((c === 32 || c === 45) && digits.length > 0 && i + 1 < text.length && isDigit(text.charCodeAt(i + 1))) {
      i += 1;
      continue;
    } else {
      break;
    }
    if (digits.length >= MIN_CARD_DIGITS && (i === text.length || !isWordChar(text.charCodeAt(i)))) best = { end: i, digits };
  }
  return best;
}

function maskCards(text: string): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  while (i < text.length) {
    if (isDigit(text.charCodeAt(i)) && atWordStart(text, i)) {
      const card = cardAt(text, i);
      if (card !== undefined) {
        if (luhn(card.digits)) {
          out += `${text.slice(copiedTo, i)}****${card.digits.slice(-4)}`;
          copiedTo = card.end;
        }
        i = card.end;
        continue;
      }
    }
    i += 1;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** Finds `Bearer ` / `Basic ` at a word start; a literal alternation and `\s+` at the end cannot backtrack. */
const SCHEME = /\b(?:bearer|basic)\s+/gi;

/** `[A-Za-z0-9._~+/=-]`: the characters of a token68 credential. */
function isCredentialChar(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 61 || c === 45;
}

function removeCredentials(text: string): string {
  let out = '';
  let copiedTo = 0;
  SCHEME.lastIndex = 0;
  for (let match = SCHEME.exec(text); match !== null; match = SCHEME.exec(text)) {
    const tokenStart = SCHEME.lastIndex;
    let end = tokenStart;
    while (end < text.length && isCredentialChar(text.charCodeAt(end))) end += 1;
    if (end === tokenStart) continue;
    // `Bearer Bearer abc`: the credential follows the last scheme word.
    if (end - tokenStart <= 6 && /^(?:bearer|basic)$/i.test(text.slice(tokenStart, end))) {
      SCHEME.lastIndex = tokenStart;
      continue;
    }
    out += `${text.slice(copiedTo, match.index)}${match[0].trimEnd()} ${REDACTED}`;
    copiedTo = end;
    SCHEME.lastIndex = end;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** `[A-Za-z0-9._-]`: characters of a parameter name in `name=value` text. */
function isNameChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 45;
}

/** What ends a value in `name=value` text: a separator, quote, bracket or space. */
function endsValue(c: number): boolean {
  return c === 38 || c === 59 || c === 44 || c === 35 || c === 34 || c === 39 || c === 41 || c === 93 || c === 125 || c === 60 || c === 62 || isSpace(c);
}

const MAX_PARAMETER_NAME = 64;

function removeSecretParameters(text: string, keys: ReadonlySet<string>): string {
  let out = '';
  let copiedTo = 0;
  let from = 0;
  for (let eq = text.indexOf('=', from); eq !== -1; eq = text.indexOf('=', from)) {
    from = eq + 1;
    let start = eq;
    while (start > 0 && eq - start < MAX_PARAMETER_NAME && isNameChar(text.charCodeAt(start - 1))) start -= 1;
    if (start === eq || (start > 0 && isNameChar(text.charCodeAt(start - 1)))) continue;
    if (!isSensitiveQueryParameter(text.slice(start, eq), keys)) continue;
    let end = eq + 1;
    while (end < text.length && !endsValue(text.charCodeAt(end))) end += 1;
    if (end === eq + 1 || text.slice(eq + 1, end) === REDACTED) continue;
    out += `${text.slice(copiedTo, eq + 1)}${REDACTED}`;
    copiedTo = end;
    from = end;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** `[A-Za-z0-9._%+-]`: characters of an address's local part. */
function isLocalChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 37 || c === 43 || c === 45;
}

/** `[A-Za-z0-9.-]`: characters of a domain. */
function isDomainChar(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 46 || c === 45;
}

/** The domain run `text[from, to)` holds `x.yz` ending at a word end: a dot, then two or more letters. */
function isDomain(text: string, from: number, to: number): boolean {
  for (let dot = from + 1; dot < to; dot += 1) {
    if (text.charCodeAt(dot) !== 46) continue;
    let j = dot + 1;
    while (j < to && isLetter(text.charCodeAt(j))) j += 1;
    if (j - dot - 1 >= 2 && (j === text.length || !isWordChar(text.charCodeAt(j)))) return true;
  }
  return false;
}

function maskEmails(text: string): string {
  let out = '';
  let copiedTo = 0;
  let previousAt = -1;
  let from = 0;
  for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', from)) {
    from = at + 1;
    // Runs on either side stop at the neighbouring '@', so each character is scanned at most twice.
    let start = at;
    while (start > previousAt + 1 && isLocalChar(text.charCodeAt(start - 1))) start -= 1;
    previousAt = at;
    while (start < at && !isWordChar(text.charCodeAt(start))) start += 1;
    if (start === at) continue;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end += 1;
    if (!isDomain(text, at + 1, end)) continue;
    if (start < copiedTo) continue;
    out += `${text.slice(copiedTo, start)}${text[start]}***@`;
    copiedTo = at + 1;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** Cheap pre-check: most text names no scheme at all. */
const SCHEME_HINT = /b(?:earer|asic)/i;

export function scrubText(text: string, options: TextScrubOptions = DEFAULT_TEXT_OPTIONS): string {
  let out = text;
  if (/\d/.test(out)) out = maskCards(out);
  if (SCHEME_HINT.test(out)) out = removeCredentials(out);
  if (out.includes('=')) out = removeSecretParameters(out, options.keys);
  if (options.maskEmails && out.includes('@')) out = maskEmails(out);
  return out;
}
