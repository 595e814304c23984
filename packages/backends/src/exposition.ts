/** The Prometheus text exposition (the collector's self-metrics, a service's /metrics), parsed. */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * A label value's escapes, in one pass: `\\` is a backslash, `\"` a quote, `\n`
 * a newline. One pass matters: `\\n` is a backslash followed by `n`.
 */
export function unescapeLabelValue(escaped: string): string {
  return escaped.replace(/\\(.)/g, (_match, c: string) => (c === 'n' ? '\n' : c));
}

/** A sample value: a float as Go writes it, or `+Inf`, `-Inf`, `NaN`. */
function sampleValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Every sample line; comments (# HELP, # TYPE), blank and malformed lines are skipped, timestamps dropped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = unescapeLabelValue(value!);
    samples.push({ name: match[1]!, labels, value: sampleValue(match[3]!) });
  }
  return samples;
}

/** Samples of a counter whether or not the exposition adds `_total` (it changed across collector releases). */
export function counter(samples: readonly Sample[], name: string): Sample[] {
  return samples.filter((s) => s.name === name || s.name === `${name}_total`);
}

/** The sum of the values; NaN and infinities count as nothing. */
export function sum(samples: readonly Sample[]): number {
  return samples.reduce((total, s) => total + (Number.isFinite(s.value) ? s.value : 0), 0);
}
