/**
 * Pure helpers that turn SQL into telemetry that carries no data: literals
 * become `?`, comments go, and a low-cardinality summary (`SELECT orders`)
 * names the span. Bound placeholders (`$1`, `?`) stay, since they hold no value.
 */

// One pass over the text, token by token, so that a quote inside an identifier or
// a digit inside a name is never mistaken for a literal.
const TOKEN = new RegExp(
  [
    '"(?:[^"]|"")*"', // quoted identifier: kept
    '`[^`]*`', // MySQL quoted identifier: kept
    "[eEbBxXnN]?'(?:[^'\\\\]|''|\\\\.)*'", // string, escape, bit or hex literal: replaced
    '\\$\\d+', // PostgreSQL placeholder: kept
    '(\\$[A-Za-z_]*\\$)[\\s\\S]*?\\1', // dollar-quoted string: replaced
    '--[^\\n]*', // line comment: dropped (free text may hold anything)
    '/\\*[\\s\\S]*?\\*/', // block comment: dropped
    '[A-Za-z_][\\w$]*', // keyword or name: kept
    '0[xX][0-9a-fA-F]+', // hex number: replaced
    '\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?', // number: replaced
  ].join('|'),
  'g',
);

/** The statement with every literal replaced by `?` and comments removed. */
export function sanitizeSql(sql: string): string {
  return sql.replace(TOKEN, (token) => {
    const first = token[0]!;
    if (first === '"' || first === '`') return token;
    if (first === '-' || first === '/') return '';
    if (first === '$') return /^\$\d+$/.test(token) ? token : '?';
    if (first === "'" || /^[eEbBxXnN]'/.test(token)) return '?';
    if (/^[A-Za-z_]/.test(token)) return token;
    return '?';
  });
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
  const clean = sanitizeSql(sql).trim();
  const words = clean.split(/\s+/, 2).map((w) => w.toUpperCase().replace(/[;(]+$/, ''));
  const pair = words.join(' ');
  const operation = TWO_WORD_COMMANDS.has(pair) ? pair : (words[0] ?? '') || 'QUERY';
  const target = TARGETS[operation]?.exec(clean)?.[1];
  const collection = target === undefined ? undefined : unquote(target);
  return { operation, collection, summary: collection ? `${operation} ${collection}` : operation };
}
