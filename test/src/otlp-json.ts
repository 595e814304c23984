/** OTLP/JSON export requests, for tests that post straight to a collector as a service would. */

export interface KeyValue {
  readonly key: string;
  readonly value: { readonly stringValue: string } | { readonly intValue: string };
}

/** A string attribute. */
export const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });

const resource = (service: string): { attributes: KeyValue[] } => ({ attributes: [str('service.name', service)] });

/** One traces request: `spans` (OTLP/JSON span objects) from `service`. */
export function tracesRequest(service: string, spans: readonly object[], scope = 'o4o-e2e'): object {
  return { resourceSpans: [{ resource: resource(service), scopeSpans: [{ scope: { name: scope }, spans }] }] };
}

/** One logs request: `logRecords` (OTLP/JSON log record objects) from `service`. */
export function logsRequest(service: string, logRecords: readonly object[], scope = 'o4o-e2e'): object {
  return { resourceLogs: [{ resource: resource(service), scopeLogs: [{ scope: { name: scope }, logRecords }] }] };
}

/** POSTs a request to `<base>/v1/<signal>`; resolves with the HTTP status. */
export async function postOtlpJson(base: string, signal: 'traces' | 'logs', request: object): Promise<number> {
  const response = await fetch(`${base}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  return response.status;
}
