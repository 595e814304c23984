import { counter, parseExposition, sum, unescapeLabelValue } from '../src';

test('names, labels, values; comments, blank and nameless lines and timestamps are skipped', () => {
  const text = ['# HELP a A counter.', '# TYPE a counter', 'a{b="x",c="1"} 2.5 1700000000', '', 'up 1', '{no_name="x"} 1', 'b_total{x="y"} +Inf', ''].join('\n');
  expect(parseExposition(text)).toEqual([
    { name: 'a', labels: { b: 'x', c: '1' }, value: 2.5 },
    { name: 'up', labels: {}, value: 1 },
    { name: 'b_total', labels: { x: 'y' }, value: Infinity },
  ]);
});

test.each([
  ['a quote', String.raw`x\"y`, 'x"y'],
  ['a backslash', String.raw`C:\\dir`, 'C:\\dir'],
  ['a newline', String.raw`one\ntwo`, 'one\ntwo'],
  ['a backslash followed by n is not a newline', String.raw`C:\\new`, 'C:\\new'],
  ['an escaped backslash before an escaped newline', String.raw`\\\n`, '\\\n'],
])('label value escapes: %s', (_what, escaped, value) => {
  expect(unescapeLabelValue(escaped)).toBe(value);
  expect(parseExposition(`m{v="${escaped}"} 1\n`)).toEqual([{ name: 'm', labels: { v: value }, value: 1 }]);
});

test('a label value may hold commas, braces and equals signs', () => {
  expect(parseExposition('m{a="x,y}",b="k=v"} 3\n')[0]!.labels).toEqual({ a: 'x,y}', b: 'k=v' });
});

test('counter finds a counter with and without _total; sum skips NaN and infinities', () => {
  const samples = parseExposition('c 1\nc_total{x="1"} 2\nc_other 5\nc{x="2"} NaN\nc{x="3"} +Inf\n');
  expect(counter(samples, 'c').map((s) => s.value)).toEqual([1, 2, NaN, Infinity]);
  expect(sum(counter(samples, 'c'))).toBe(3);
});
