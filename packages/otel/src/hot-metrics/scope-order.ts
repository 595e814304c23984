/**
 * Where the hot histograms go in a scrape, so the exposition reads as it did
 * when the SDK aggregated them: a reader appends its producers' scopes after
 * the SDK's, while the SDK itself lists the scopes without observable
 * instruments first, in the order their meters were created (their collection
 * settles first), then those with observable callbacks. A hot scope has no
 * callbacks, so it goes before the first SDK scope that either has some or was
 * created after it; a hot scope the SDK also reports merges into that one.
 */
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { scopeKey, type HotMetrics } from './registry';

function observed(scopeMetrics: ScopeMetrics): boolean {
  // The SDK reports its instrument descriptor, whose `type` names the instrument kind.
  return scopeMetrics.metrics.some((metric) => String((metric.descriptor as { type?: unknown }).type ?? '').startsWith('OBSERVABLE'));
}

export function inScrapeOrder(all: readonly ScopeMetrics[], metrics: HotMetrics): ScopeMetrics[] {
  const ordered = all.filter((s) => !metrics.isProduced(s));
  const late = Number.MAX_SAFE_INTEGER;
  for (const hot of all.filter((s) => metrics.isProduced(s))) {
    const key = scopeKey(hot.scope);
    const same = ordered.find((s) => !metrics.isProduced(s) && scopeKey(s.scope) === key);
    if (same !== undefined) {
      ordered[ordered.indexOf(same)] = { scope: same.scope, metrics: [...same.metrics, ...hot.metrics] };
      continue;
    }
    const index = metrics.meterIndex(hot.scope) ?? late;
    const at = ordered.findIndex((s) => (metrics.isProduced(s) ? false : observed(s)) || (metrics.meterIndex(s.scope) ?? late) > index);
    ordered.splice(at === -1 ? ordered.length : at, 0, hot);
  }
  return ordered;
}
