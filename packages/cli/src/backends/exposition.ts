/** A small parser for the Prometheus text exposition (collector and service /metrics). */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Samples of a counter whether or not the exposition adds `_total` (it changed across collector releases). */
export function counter(samples: readonly Sample[], name: string): Sample[] {
  return samples.filter((s) => s.name === name || s.name === `${name}_total`);
}

export function sum(samples: readonly Sample[]): number {
  return samples.reduce((total, s) => total + (Number.isFinite(s.value) ? s.value : 0), 0);
}
