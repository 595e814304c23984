/** Database client metric names, from the OpenTelemetry database semantic conventions. */
export const DB_OPERATION_DURATION = 'db.client.operation.duration';
export const DB_CONNECTION_MAX = 'db.client.connection.max';
export const DB_CONNECTION_PENDING_REQUESTS = 'db.client.connection.pending_requests';
/**
 * Connections by state. The current convention calls it `db.client.connection.count`,
 * which Prometheus exposes as `db_client_connection_count`: a gauge ending in `_count`
 * reads as a histogram's count, and `promtool check metrics` rejects it. We keep the
 * convention's earlier name for the same measure (semantic conventions <= 1.25) with
 * the current attributes.
 */
export const DB_CONNECTION_USAGE = 'db.client.connections.usage';
/** instrumentation-pg's pool instruments, dropped in favour of ours. */
export const PG_POOL_METRICS: readonly string[] = ['db.client.connection.count', DB_CONNECTION_MAX, DB_CONNECTION_PENDING_REQUESTS];

/** The scope whose pool instruments ours replace (see pg-pool-metrics.ts). */
export const PG_INSTRUMENTATION_SCOPE = '@opentelemetry/instrumentation-pg';

/**
 * Seconds. Database calls are mostly single-digit milliseconds: dense from 0.5 ms
 * to 100 ms, where an index going missing shows, sparse above.
 */
export const DB_DURATION_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
