/**
 * The SQL sanitizer and the statement cache: literals never reach a span,
 * names and placeholders do; the scanner agrees with the token regular
 * expression it replaced on short random input, and stays linear on
 * megabyte statements built to make a naive search quadratic.
 */
import fc from 'fast-check';
import * as sql from '../src/db/sql';
import { sanitizeSql, summarizeSql } from '../src/db/sql';
import { StatementCache, describeSanitizedSql } from '../src/db/attributes';

/** The single regular expression the scanner replaced: reference semantics on short inputs. */
const REFERENCE_TOKEN = new RegExp(
  [
    '"(?:[^"]|"")*"',
    '`[^`]*`',
    "[eEbBxXnN]?'(?:[^'\\\\]|''|\\\\.)*'",
    '\\$\\d+',
    '(\\$[A-Za-z_]*\\$)[\\s\\S]*?\\1',
    '--[^\\n]*',
    '/\\*[\\s\\S]*?\\*/',
    '[A-Za-z_][\\w$]*',
    '0[xX][0-9a-fA-F]+',
    '\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?',
  ].join('|'),
  'g',
);

function referenceSanitize(sql: string): string {
  return sql.replace(REFERENCE_TOKEN, (token) => {
    const first = token[0]!;
    if (first === '"' || first === '`') return token;
    if (first === '-' || first === '/') return '';
    if (first === '$') return /^\$\d+$/.test(token) ? token : '?';
    if (first === "'" || /^[eEbBxXnN]'/.test(token)) return '?';
    if (/^[A-Za-z_]/.test(token)) return token;
    return '?';
  });
}

describe('sanitizeSql', () => {
  test.each([
    ['SELECT * FROM "orders" WHERE "id" = 42', 'SELECT * FROM "orders" WHERE "id" = ?'],
    ['INSERT INTO t(a, b) VALUES (NULL, 1, 12000)', 'INSERT INTO t(a, b) VALUES (NULL, ?, ?)'],
    ["SELECT 'jane@example.com', E'x\\'y', x'1F', N'ü'", 'SELECT ?, ?, ?, ?'],
    ["UPDATE u SET name = 'O''Brien' WHERE id = $1", 'UPDATE u SET name = ? WHERE id = $1'],
    ['SELECT $body$ secret text $body$, $$ more $$', 'SELECT ?, ?'],
    ['SELECT 1.5e3, .5, 0x1F, col2 FROM t2', 'SELECT ?, ?, ?, col2 FROM t2'],
    ['SELECT a -- jane@example.com\nFROM t /* card 4111 */', 'SELECT a \nFROM t '],
    ['SELECT "we""ird", `my col` FROM "t"', 'SELECT "we""ird", `my col` FROM "t"'],
    // Unclosed openers are left as they are, and what follows is still sanitized.
    ["SELECT 'never closed 42", "SELECT 'never closed ?"],
    ['SELECT /* never closed 42', 'SELECT /* never closed ?'],
    ['SELECT $tag$ never closed 42', 'SELECT $tag$ never closed ?'],
  ])('%j', (sql, expected) => {
    expect(sanitizeSql(sql)).toBe(expected);
    expect(referenceSanitize(sql)).toBe(expected);
  });

  test('agrees with the reference regular expression on short random statements', () => {
    const pieces = ["'", '"', '`', '$', '-', '/', '*', '\\', '\n', ' ', 'a', 'e', 'x', 'N', 'b', '0', '1', '9', '.', '+', 'E', 'F', '_', 'tag', '$1', '$$', '--', '/*', '*/', "''", '""', 'SELECT ', 'FROM ', '0x1F', '1e5', '.5'];
    const statement = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(fc.property(statement, (sql) => sanitizeSql(sql) === referenceSanitize(sql)), { numRuns: 20_000 });
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (sql) => sanitizeSql(sql) === referenceSanitize(sql)), { numRuns: 20_000 });
  });

  test('no literal value survives: numbers and strings planted among names', () => {
    const name = fc.stringMatching(/^[a-z_]{1,8}$/);
    const secret = fc.integer({ min: 100_000, max: 999_999 }).map(String);
    const literal = secret.chain((digits) => fc.constantFrom(digits, `'${digits}'`, `'a''${digits}'`, `E'\\'${digits}'`, `$q$${digits}$q$`, `/* ${digits} */`, `-- ${digits}\n`, `${digits}.5`));
    fc.assert(
      fc.property(fc.array(fc.oneof(name, literal), { minLength: 1, maxLength: 12 }), (parts) => {
        const clean = sanitizeSql(parts.join(' '));
        return !/\d{6}/.test(clean);
      }),
      { numRuns: 5_000 },
    );
  });

  test.each([
    ['unclosed block comments', '/* '],
    ['distinct unclosed dollar tags', null],
    ['unclosed quotes after escapes', "'\\\n"],
    ['doubled quotes', "''"],
    ['quoted identifiers', '"a"'],
    ['digits', '1234567 '],
  ])('a megabyte of %s is sanitized in one pass', (_label, unit) => {
    let sql: string;
    if (unit === null) {
      // $a$ $b$ ... $zz$ ...: every tag distinct, none closed.
      const tags: string[] = [];
      for (let i = 0, length = 0; length < 1_000_000; i += 1) {
        const tag = `$${i.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!)}$ `;
        tags.push(tag);
        length += tag.length;
      }
      sql = tags.join('');
    } else sql = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const clean = sanitizeSql(sql);
    expect(clean.length).toBeLessThanOrEqual(sql.length);
    expect(/\d/.test(clean)).toBe(false);
  });
});

describe('summarizeSql', () => {
  test.each([
    ['SELECT "o"."id" FROM "public"."orders" "o" WHERE "o"."id" = $1', 'SELECT', 'orders'],
    ['INSERT INTO "order_items"("id") VALUES (NULL)', 'INSERT', 'order_items'],
    ['UPDATE "products" SET "stock" = "stock" - 1 WHERE "id" = 7', 'UPDATE', 'products'],
    ['BEGIN TRANSACTION', 'BEGIN TRANSACTION', undefined],
  ])('%j', (sql, operation, collection) => {
    expect(summarizeSql(sql)).toMatchObject({ operation, collection });
  });
});

describe('StatementCache', () => {
  test('statements with inlined values share one entry per shape', () => {
    const derived: string[] = [];
    const cache = new StatementCache((sanitized) => {
      derived.push(sanitized);
      return describeSanitizedSql(sanitized);
    });
    const shapes = new Set<unknown>();
    for (let id = 1; id <= 5_000; id += 1) shapes.add(cache.get(`SELECT "Order"."id" FROM "orders" "Order" WHERE "Order"."id" = ${id}`));
    for (let i = 0; i < 3; i += 1) shapes.add(cache.get('SELECT "id" FROM "users" WHERE "id" = $1'));
    expect(derived).toEqual(['SELECT "Order"."id" FROM "orders" "Order" WHERE "Order"."id" = ?', 'SELECT "id" FROM "users" WHERE "id" = $1']);
    expect(shapes.size).toBe(2);
  });

  test('a text with a literal is sanitized at most twice however often it repeats, even after thousands of one-off texts', () => {
    const sanitize = jest.spyOn(sql, 'sanitizeSql');
    const cache = new StatementCache(describeSanitizedSql);
    const repeated = 'SELECT "User"."id" AS "User_id" FROM "users" "User" WHERE (("User"."id" = ?)) LIMIT 1';
    const sanitizedOf = (text: string): number => sanitize.mock.calls.filter(([called]) => called === text).length;
    for (let id = 1; id <= 5_000; id += 1) {
      cache.get(`SELECT "Order"."id" FROM "orders" "Order" WHERE "Order"."id" = ${id}`);
      if (id % 100 === 0) expect(cache.get(repeated)).toMatchObject({ name: 'SELECT users' });
    }
    expect(sanitizedOf(repeated)).toBe(2);
    // The one-off texts were sanitized once each and none was remembered as sent.
    expect(sanitizedOf('SELECT "Order"."id" FROM "orders" "Order" WHERE "Order"."id" = 42')).toBe(1);
    cache.get('SELECT "Order"."id" FROM "orders" "Order" WHERE "Order"."id" = 42');
    expect(sanitizedOf('SELECT "Order"."id" FROM "orders" "Order" WHERE "Order"."id" = 42')).toBe(2);
    sanitize.mockRestore();
  });
});
