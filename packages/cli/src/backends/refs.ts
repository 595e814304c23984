/** Each backend's name, address and the advice given when it does not answer. */
import { ENDPOINT_SOURCES, type CommonOptions } from '../config';
import type { BackendRef } from '@o4o/backends';

export interface BackendRefs {
  readonly jaeger: BackendRef;
  readonly search: BackendRef;
  readonly alertmanager: BackendRef;
  readonly prometheus: BackendRef;
  readonly collectorHealth: BackendRef;
  readonly collectorMetrics: BackendRef;
}

const NAMES: Readonly<Record<keyof BackendRefs, string>> = {
  jaeger: 'Jaeger',
  search: 'the search node',
  alertmanager: 'Alertmanager',
  prometheus: 'Prometheus',
  collectorHealth: 'the collector health check',
  collectorMetrics: 'the collector metrics endpoint',
};

export function backendRefs(options: CommonOptions): BackendRefs {
  const ref = (key: keyof BackendRefs): BackendRef => ({
    name: NAMES[key],
    url: options.endpoints[key],
    hint: `start the stack with bash stack/start.sh or set ${ENDPOINT_SOURCES[key].env}`,
    timeoutMillis: options.timeoutMillis,
  });
  return {
    jaeger: ref('jaeger'),
    search: ref('search'),
    alertmanager: ref('alertmanager'),
    prometheus: ref('prometheus'),
    collectorHealth: ref('collectorHealth'),
    collectorMetrics: ref('collectorMetrics'),
  };
}

/** A service's own Prometheus endpoint (doctor --service-metrics). */
export function serviceMetricsRef(url: string, timeoutMillis: number): BackendRef {
  return {
    name: 'the service metrics endpoint',
    url,
    hint: 'start the service under the preload (node --require @o4o/otel/register ...) or fix --service-metrics',
    timeoutMillis,
  };
}
