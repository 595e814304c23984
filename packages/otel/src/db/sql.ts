/**
 * Pure helpers that turn SQL into telemetry that carries no data: literals
 * become `?`, comments go, and a low-cardinality summary (`SELECT orders`)
 * names the span. Bound placeholders (`$1`, `?`) stay, since they hold no value.
 */

// One pass over the text, token by token, so that a quote inside an identifier or
// a digit inside a name is never mistaken for a literal. A hand-written scanner
// rather than one alternation regex: it runs on every statement an ORM sends with
// inlined values (TypeORM's SQLite drivers inline numbers), about ten times faster.
//
//   "quoted identifier" (with "")     kept
//   `MySQL identifier`                kept
//   [eEbBxXnN]'string' ('' or \ esc)   replaced by ?
//   $1 placeholder                    kept
//   $tag$ dollar-quoted $tag$         replaced by ?
//   -- line comment, /* block */      dropped (free text may hold anything)
//   keyword or name                   kept
//   0x1F, 12, 1.5e3, .5               replaced by ?
// A quote or comment opener with no end is left as it is, and scanning goes on after it.

const enum Char {
  Newline = 10,
  Dollar = 36,
  Quote = 39,
  DoubleQuote = 34,
  Star = 42,
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Backslash = 92,
  Backtick = 96,
  Zero = 48,
  Nine = 57,
}

const isDigit = (c: number): boolean => c >= Char.Zero && c <= Char.Nine;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
const isWord = (c: number): boolean => isLetter(c) || isDigit(c);
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** e E b B x X n N: the prefixes of escape, bit, hex and national string literals. */
const isStringPrefix = (c: number): boolean => c === 101 || c === 69 || c === 98 || c === 66 || c === 120 || c === 88 || c === 110 || c === 78;

/**
 * End (exclusive) of a '...' literal opening at `start`, or -1 when it never
 * closes. A doubled quote is an escaped one; when the text ends inside the
 * literal, the last doubled quote read closed it after all (the first of the pair).
 */
function stringEnd(sql: string, start: number): number {
  let lastPair = -1;
  for (let j = start + 1; j < sql.length; j += 1) {
    const c = sql.charCodeAt(j);
    if (c === Char.Backslash) {
      // A backslash escapes any character but a newline.
      if (j + 1 < sql.length && sql.charCodeAt(j + 1) !== Char.Newline) j += 1;
      else return lastPair;
    } else if (c === Char.Quote) {
      if (sql.charCodeAt(j + 1) !== Char.Quote) return j + 1;
      lastPair = j + 1;
      j += 1;
    }
  }
  return lastPair;
}

/** End (exclusive) of a "..." identifier opening at `start` ("" inside), or -1; unterminated as for strings. */
function quotedIdentifierEnd(sql: string, start: number): number {
  let lastPair = -1;
  let j = start + 1;
  for (;;) {
    const close = sql.indexOf('"', j);
    if (close === -1) return lastPair;
    if (sql.charCodeAt(close + 1) !== Char.DoubleQuote) return close + 1;
    lastPair = close + 1;
    j = close + 2;
  }
}

/** End (exclusive) of a number starting at `start` (a digit, or a dot before a digit). */
function numberEnd(sql: string, start: number): number {
  let j = start;
  if (sql.charCodeAt(j) === Char.Dot) {
    j += 1;
    while (isDigit(sql.charCodeAt(j))) j += 1;
  } else {
    while (isDigit(sql.charCodeAt(j))) j += 1;
    if (sql.charCodeAt(j) === Char.Dot) {
      j += 1;
      while (isDigit(sql.charCodeAt(j))) j += 1;
    }
  }
  const e = sql.charCodeAt(j);
  if (e === 101 || e === 69) {
    let k = j + 1;
    const sign = sql.charCodeAt(k);
    if (sign === Char.Plus || sign === Char.Minus) k += 1;
    if (isDigit(sql.charCodeAt(k))) {
      while (isDigit(sql.charCodeAt(k))) k += 1;
      j = k;
    }
  }
  return j;
}

/**
 * Where each `$tag$` occurs, found in one pass on first use, so that looking for
 * the close of many distinct unclosed tags stays linear (searching the rest of
 * the text for each would not).
 */
class DollarTags {
  private readonly positions = new Map<string, number[]>();
  private readonly cursors = new Map<string, number>();

  constructor(sql: string) {
    for (let p = sql.indexOf('$'); p !== -1; p = sql.indexOf('$', p + 1)) {
      let q = p + 1;
      while (isLetter(sql.charCodeAt(q))) q += 1;
      if (sql.charCodeAt(q) !== Char.Dollar) continue;
      const tag = sql.slice(p, q + 1);
      const list = this.positions.get(tag);
      if (list === undefined) this.positions.set(tag, [p]);
      else list.push(p);
    }
  }

  /** The first occurrence of `tag` at or after `from`; calls for one tag come with growing `from`. */
  next(tag: string, from: number): number {
    const list = this.positions.get(tag);
    if (list === undefined) return -1;
    let k = this.cursors.get(tag) ?? 0;
    while (k < list.length && list[k]! < from) k += 1;
    this.cursors.set(tag, k);
    return k < list.length ? list[k]! : -1;
  }
}

/** The statement with every literal replaced by `?` and comments removed. */
export function sanitizeSql(sql: string): string {
  let out = '';
  let copied = 0; // sql[copied, i) is still to be copied as it is
  let i = 0;
  const n = sql.length;
  let unclosedCommentFrom = Infinity;
  let tags: DollarTags | undefined;
  const replace = (from: number, to: number, by: string): void => {
    out += sql.slice(copied, from) + by;
    copied = to;
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isLetter(c)) {
      if (isStringPrefix(c) && sql.charCodeAt(i + 1) === Char.Quote) {
        const end = stringEnd(sql, i + 1);
        if (end !== -1) {
          replace(i, end, '?');
          i = end;
          continue;
        }
      }
      i += 1;
      while (i < n && (isWord(sql.charCodeAt(i)) || sql.charCodeAt(i) === Char.Dollar)) i += 1;
    } else if (isDigit(c)) {
      const hex = c === Char.Zero && (sql.charCodeAt(i + 1) | 32) === 120 && isHexDigit(sql.charCodeAt(i + 2));
      let end = i + 2;
      if (hex) while (isHexDigit(sql.charCodeAt(end))) end += 1;
      else end = numberEnd(sql, i);
      replace(i, end, '?');
      i = end;
    } else if (c === Char.Quote) {
      const end = stringEnd(sql, i);
      if (end === -1) i += 1;
      else {
        replace(i, end, '?');
        i = end;
      }
    } else if (c === Char.DoubleQuote) {
      const end = quotedIdentifierEnd(sql, i);
      i = end === -1 ? i + 1 : end;
    } else if (c === Char.Backtick) {
      const close = sql.indexOf('`', i + 1);
      i = close === -1 ? i + 1 : close + 1;
    } else if (c === Char.Dollar) {
      if (isDigit(sql.charCodeAt(i + 1))) {
        i += 2;
        while (isDigit(sql.charCodeAt(i))) i += 1;
        continue;
      }
      let tagEnd = i + 1;
      while (isLetter(sql.charCodeAt(tagEnd))) tagEnd += 1;
      const close = sql.charCodeAt(tagEnd) === Char.Dollar ? (tags ??= new DollarTags(sql)).next(sql.slice(i, tagEnd + 1), tagEnd + 1) : -1;
      if (close === -1) i += 1;
      else {
        const end = close + tagEnd + 1 - i;
        replace(i, end, '?');
        i = end;
      }
    } else if (c === Char.Minus && sql.charCodeAt(i + 1) === Char.Minus) {
      const newline = sql.indexOf('\n', i + 2);
      const end = newline === -1 ? n : newline;
      replace(i, end, '');
      i = end;
    } else if (c === Char.Slash && sql.charCodeAt(i + 1) === Char.Star) {
      // Once no `*/` follows, none follows any later opener either: not searched again.
      const close = i + 2 >= unclosedCommentFrom ? -1 : sql.indexOf('*/', i + 2);
      if (close === -1) {
        unclosedCommentFrom = Math.min(unclosedCommentFrom, i + 2);
        i += 1;
      }
      else {
        replace(i, close + 2, '');
        i = close + 2;
      }
    } else if (c === Char.Dot && isDigit(sql.charCodeAt(i + 1))) {
      const end = numberEnd(sql, i);
      replace(i, end, '?');
      i = end;
    } else {
      i += 1;
    }
  }
  return copied === 0 ? sql : out + sql.slice(copied);
}

export interface SqlSummary {
  /** The command, upper case: `SELECT`, `INSERT`, `START TRANSACTION`, ... */
  readonly operation: string;
  /** The table the command acts on, unquoted and without schema, when one is found. */
  readonly collection: string | undefined;
  /** `{operation} {collection}`, or the operation alone: short and low-cardinality. */
  readonly summary: string;
}

const IDENTIFIER = '(?:"(?:[^"]|"")+"|`[^`]+`|[A-Za-z_][\\w$]*)';
const QUALIFIED = `(${IDENTIFIER}(?:\\s*\\.\\s*${IDENTIFIER})*)`;
const TARGETS: Record<string, RegExp> = {
  SELECT: new RegExp(`\\bFROM\\s+${QUALIFIED}`, 'i'),
  DELETE: new RegExp(`\\bFROM\\s+${QUALIFIED}`, 'i'),
  INSERT: new RegExp(`\\bINTO\\s+${QUALIFIED}`, 'i'),
  REPLACE: new RegExp(`\\bINTO\\s+${QUALIFIED}`, 'i'),
  UPDATE: new RegExp(`^\\s*UPDATE\\s+(?:OR\\s+\\w+\\s+)?${QUALIFIED}`, 'i'),
};
const TWO_WORD_COMMANDS = new Set(['START TRANSACTION', 'BEGIN TRANSACTION', 'RELEASE SAVEPOINT', 'ROLLBACK TO', 'SET TRANSACTION']);

function unquote(name: string): string {
  const last = name.split(/\s*\.\s*(?=(?:"|`|[A-Za-z_]))/).pop() ?? name;
  return last.replace(/^["`]|["`]$/g, '').replace(/""/g, '"');
}

/** Reads the command and its table from a statement, after removing its literals. */
export function summarizeSql(sql: string): SqlSummary {
  return summarizeSanitizedSql(sanitizeSql(sql));
}

/** summarizeSql for a statement sanitizeSql has already cleaned. */
export function summarizeSanitizedSql(sanitized: string): SqlSummary {
  const clean = sanitized.trim();
  const words = clean.split(/\s+/, 2).map((w) => w.toUpperCase().replace(/[;(]+$/, ''));
  const pair = words.join(' ');
  const operation = TWO_WORD_COMMANDS.has(pair) ? pair : (words[0] ?? '') || 'QUERY';
  const target = TARGETS[operation]?.exec(clean)?.[1];
  const collection = target === undefined ? undefined : unquote(target);
  return { operation, collection, summary: collection ? `${operation} ${collection}` : operation };
}
