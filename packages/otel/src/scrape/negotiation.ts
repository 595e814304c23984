/**
 * Which exposition a scrape asked for. Prometheus and the collector's
 * Prometheus receiver list OpenMetrics first in their Accept header
 * (`application/openmetrics-text;version=1.0.0,...,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`);
 * curl, browsers and older scrapers send none or `*\/*` and keep getting the
 * Prometheus text format.
 */

export type Exposition = 'openmetrics' | 'text';

/** OpenMetrics when the Accept header names it with a weight at least that of `text/plain`. */
export function negotiateExposition(accept: string | undefined): Exposition {
  if (accept === undefined || accept === '') return 'text';
  let openMetrics = 0;
  let text = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    let weight = 1;
    for (const parameter of parameters) {
      if (!parameter.startsWith('q=')) continue;
      const q = Number(parameter.slice(2));
      weight = Number.isFinite(q) ? Math.min(1, Math.max(0, q)) : 0;
    }
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, weight);
    else if (type === 'text/plain') text = Math.max(text, weight);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'text';
}
