/**
 * The curated instrumentations, as lazy factories keyed by name: a disabled
 * instrumentation costs nothing, not even loading its package.
 */
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { O4oConfig } from './config';
import type { InstrumentationName } from './instrumentation-names';
import { createPathMatcher } from './path-matcher';
import { rememberPackageVersions } from './package-versions';
import { replaceRequireInTheMiddle } from './module-hook';

/** Some names stand for more than one instrumentation (pg: queries and pool usage). */
type Factory = (config: O4oConfig) => Instrumentation | Instrumentation[];

const FACTORIES: Record<InstrumentationName, Factory> = {
  http: (config) => {
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const { HttpServerInstrumentation } = require('./http-server/instrumentation') as typeof import('./http-server/instrumentation');
    return [
      // Probes and scrapes would drown real traffic, and their latency is not the users'.
      new HttpServerInstrumentation({ isIgnored: createPathMatcher(config.ignoredPaths) }),
      // Outgoing node:http calls only: incoming requests are ours (http-server/), at a fraction of the cost.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    ];
  },
  express: () => {
    const { ExpressInstrumentation } = require('./express/instrumentation') as typeof import('./express/instrumentation');
    // One span per routed request (the route handler); middleware and routers add none.
    return new ExpressInstrumentation();
  },
  undici: () => {
    const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    return new UndiciInstrumentation();
  },
  'runtime-node': () => {
    const { RuntimeNodeInstrumentation } = require('@opentelemetry/instrumentation-runtime-node') as typeof import('@opentelemetry/instrumentation-runtime-node');
    return new RuntimeNodeInstrumentation({ monitoringPrecision: 10 });
  },
  pg: (config) => {
    const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
    const { pgInstrumentationConfig } = require('./db/pg') as typeof import('./db/pg');
    const { PgPoolMetricsInstrumentation } = require('./db/pg-pool-metrics') as typeof import('./db/pg-pool-metrics');
    return [new PgInstrumentation(pgInstrumentationConfig({ captureParameters: config.database.captureParameters })), new PgPoolMetricsInstrumentation()];
  },
  typeorm: (config) => {
    const { TypeormInstrumentation } = require('./typeorm/instrumentation') as typeof import('./typeorm/instrumentation');
    return new TypeormInstrumentation({ captureParameters: config.database.captureParameters });
  },
  winston: (config) => {
    const { WinstonBridge } = require('./winston/instrumentation') as typeof import('./winston/instrumentation');
    return new WinstonBridge({ redaction: config.logs.redaction, sendLogs: config.logs.exporters.length > 0 });
  },
};

/** Builds the enabled instrumentations; one that fails to load is reported and skipped. */
export function createInstrumentations(config: O4oConfig, report: (line: string) => void): Instrumentation[] {
  rememberPackageVersions();
  // Before any instrumentation package loads: each copy of their base class hooks `require` as it is created.
  replaceRequireInTheMiddle();
  const created: Instrumentation[] = [];
  for (const name of config.instrumentations) {
    try {
      created.push(...[FACTORIES[name](config)].flat());
    } catch (error) {
      report(`instrumentation "${name}" could not be loaded (${(error as Error).message}); continuing without it`);
    }
  }
  return created;
}
