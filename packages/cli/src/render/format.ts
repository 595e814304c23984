/** Numbers and times as an engineer reads them in a terminal. */

/** `850µs`, `12.3ms`, `245ms`, `1.24s`, `2m03s`. */
export function formatDuration(micros: number): string {
  if (micros < 1_000) return `${Math.round(micros)}µs`;
  if (micros < 10_000) return `${(micros / 1_000).toFixed(2)}ms`;
  if (micros < 100_000) return `${(micros / 1_000).toFixed(1)}ms`;
  if (micros < 1_000_000) return `${Math.round(micros / 1_000)}ms`;
  if (micros < 60_000_000) return `${(micros / 1_000_000).toFixed(2)}s`;
  const seconds = Math.round(micros / 1_000_000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Offset from the start of the trace: `+0µs`, `+12.3ms`. */
export function formatOffset(micros: number): string {
  return `+${formatDuration(Math.max(0, micros))}`;
}

/** `2024-05-01 10:00:00.123Z` from microseconds since the epoch. */
export function formatTimestamp(micros: number): string {
  return new Date(Math.floor(micros / 1_000)).toISOString().replace('T', ' ');
}

/** A value on one line, cut to `max` characters. */
export function oneLine(value: unknown, max = 80): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value) ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A look-back window as the user would type it: `1h`, `90m`, `2d`, `45s`. */
export function formatWindow(millis: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (millis >= size && millis % size === 0) return `${millis / size}${unit}`;
  }
  return formatDuration(millis * 1_000);
}
