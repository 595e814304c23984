/** Durations and times as the user types them: `250ms`, `1.5s`, `15m`, `2h`, `1d`, or an ISO date. */

const UNIT_MICROS: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };

/** Microseconds in `text`, or undefined when it is not `<number><unit>`. */
export function parseDurationMicros(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MICROS[match[2]!]!);
}

/** A point in time: so long before now, or an absolute instant (epoch ms). */
export type TimeBound = { readonly agoMillis: number } | { readonly atMillis: number };

/** `15m` (15 minutes ago) or an ISO 8601 date; undefined when neither. */
export function parseTimeBound(text: string): TimeBound | undefined {
  const micros = parseDurationMicros(text);
  if (micros !== undefined) return { agoMillis: micros / 1_000 };
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : { atMillis: at };
}

export function resolveTimeBound(bound: TimeBound, nowMillis: number): number {
  return 'atMillis' in bound ? bound.atMillis : nowMillis - bound.agoMillis;
}
