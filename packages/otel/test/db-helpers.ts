/** Shared pieces of the database tests: the orders fixture app and span-tree lookups. */
import type { OtlpReceiver, ReceivedSpan } from '@o4o/test-utils';
import { SERVER, startApp, type AppUnderTest } from './helpers';

export const CLIENT = 3;
export const INTERNAL = 1;

export interface OrdersAppOptions {
  /** PostgreSQL URL; SQLite in memory when absent. */
  readonly databaseUrl?: string;
  /** `typeorm` (1.x) or `typeorm-0.3`. */
  readonly typeorm?: string;
  readonly esm?: boolean;
  readonly nodeArgs?: readonly string[];
  readonly env?: Record<string, string | undefined>;
}

export function startOrdersApp(options: OrdersAppOptions): Promise<AppUnderTest> {
  return startApp({
    script: options.esm ? 'typeorm-app.mjs' : 'typeorm-app.js',
    esm: options.esm,
    nodeArgs: options.nodeArgs,
    env: { DATABASE_URL: options.databaseUrl, TYPEORM_MODULE: options.typeorm, ...options.env },
  });
}

export async function post(baseUrl: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The SERVER span of the most recent request to `method route`, once it has arrived. */
export async function requestSpan(receiver: OtlpReceiver, method: string, route: string): Promise<ReceivedSpan> {
  const matches = (s: ReceivedSpan): boolean => s.kind === SERVER && s.name === `${method} ${route}`;
  await receiver.waitFor(() => receiver.spans.some(matches), 15_000, `the ${method} ${route} span`);
  return receiver.spans.filter(matches).at(-1)!;
}

/**
 * Children of a span, by name, so that a tree reads the same whatever the timing
 * (statement order by start time is checked on its own in db-sqlite.test.ts).
 */
export function childrenOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId).sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0));
}

/** A span's name; for a SQL span, followed by the ORM operation that issued it: `SELECT orders [findOneBy Order]`. */
export function label(span: ReceivedSpan): string {
  const operation = span.attributes['o4o.db.orm.operation'];
  if (operation === undefined) return span.name;
  const entity = span.attributes['o4o.db.orm.entity'];
  return `${span.name} [${String(operation)}${entity === undefined ? '' : ` ${String(entity)}`}]`;
}

/** Every span of a trace beneath `root`, depth first, as `label` lines indented by depth, siblings by label. */
export function drawTree(spans: readonly ReceivedSpan[], root: ReceivedSpan, depth = 0): string[] {
  return [`${'  '.repeat(depth)}${label(root)}`, ...childrenOf(spans, root).flatMap((child) => drawTree(spans, child, depth + 1))];
}

/** Waits until the trace of `root` holds at least `count` spans (they arrive in batches). */
export async function waitForTrace(receiver: OtlpReceiver, root: ReceivedSpan, count: number): Promise<void> {
  await receiver.waitFor(() => receiver.spans.filter((s) => s.traceId === root.traceId).length >= count, 15_000, `${count} spans in the trace of ${root.name}`);
}
