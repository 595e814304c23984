/**
 * `o4o-otel find`: traces by service, operation, attributes, errors, minimum
 * duration and time window. Jaeger's search needs a service, so without
 * `--service` every service Jaeger knows is searched and the results merged.
 * No match is exit 1 (documented), so `find ... && ...` reads naturally.
 */
import { jaegerClient, type TraceSearch } from '@o4o/backends';
import { backendRefs } from '../backends/refs';
import type { CliConfig, FindQuery } from '../config';
import { resolveTimeBound } from '../duration';
import { EXIT } from '../errors';
import { outcome, type Outcome } from '../outcome';
import { renderTraceTable } from '../render/find';
import { summarizeTrace, type TraceSummary } from '../render/waterfall';
import { formatDuration, formatWindow } from '../render/format';

/** The search as the user wrote it, for messages: `service=shop-api order.id=42 errors last 1h`. */
export function describeQuery(query: FindQuery): string {
  const parts = [
    ...query.services.map((s) => `service=${s}`),
    ...(query.operation ? [`operation=${query.operation}`] : []),
    ...Object.entries(query.attributes).map(([k, v]) => `${k}=${v}`),
    ...(query.errorsOnly ? ['errors only'] : []),
    ...(query.minDurationMicros !== undefined ? [`>= ${formatDuration(query.minDurationMicros)}`] : []),
  ];
  const window = 'agoMillis' in query.since ? `in the last ${formatWindow(query.since.agoMillis)}` : `since ${new Date(query.since.atMillis).toISOString()}`;
  return [...parts, window].join(', ');
}

/**
 * Errors are not a tag filter: Jaeger v2 keeps span status as status, not as the
 * `error`/`otel.status_code` tags v1 had, and a search for `error=true` finds
 * nothing (seen on v2.13 with the memory store). `--errors` is applied to the
 * results instead, over a wider search.
 */
export function jaegerTags(query: FindQuery): Record<string, string> {
  return { ...query.attributes };
}

/** How many traces to ask Jaeger for per service, so that filtering for errors still fills the limit. */
export function searchLimit(query: FindQuery): number {
  return query.errorsOnly ? Math.max(query.limit * 10, 200) : query.limit;
}

export function sortSummaries(summaries: TraceSummary[], order: FindQuery['sort']): TraceSummary[] {
  return summaries.sort((a, b) => (order === 'duration' ? b.durationMicros - a.durationMicros : b.startMicros - a.startMicros) || a.traceId.localeCompare(b.traceId));
}

export async function runFind(config: CliConfig, query: FindQuery, nowMillis: number): Promise<Outcome> {
  const jaeger = jaegerClient(backendRefs(config).jaeger);
  const services = query.services.length > 0 ? query.services : await jaeger.services();
  const base: Omit<TraceSearch, 'service'> = {
    operation: query.operation,
    tags: jaegerTags(query),
    minDurationMicros: query.minDurationMicros,
    startMillis: resolveTimeBound(query.since, nowMillis),
    endMillis: query.until ? resolveTimeBound(query.until, nowMillis) : nowMillis,
    limit: searchLimit(query),
  };
  const found = await Promise.all(services.map((service) => jaeger.searchTraces({ ...base, service })));
  const unique = new Map(found.flat().filter((t) => t.spans.length > 0).map((t) => [t.traceId, t] as const));
  const all = [...unique.values()].map(summarizeTrace).filter((s) => !query.errorsOnly || s.errorCount > 0);
  const summaries = sortSummaries(all, query.sort).slice(0, query.limit);
  const json = {
    query: { ...query, searchedServices: services },
    traces: summaries.map((s) => ({
      traceId: s.traceId,
      startMicros: s.startMicros,
      durationMicros: s.durationMicros,
      spanCount: s.spanCount,
      errorCount: s.errorCount,
      services: s.services,
      rootService: s.root?.service ?? null,
      rootOperation: s.root?.operation ?? null,
    })),
  };
  if (summaries.length === 0) {
    const why = services.length === 0 ? 'Jaeger has no services yet' : `no traces match ${describeQuery(query)}`;
    return outcome([], json, [`${why} (searched ${services.length} service${services.length === 1 ? '' : 's'} in Jaeger at ${jaeger.ref.url})`], EXIT.notFound);
  }
  return outcome(renderTraceTable(summaries), json);
}
