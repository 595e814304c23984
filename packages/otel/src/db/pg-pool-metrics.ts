/**
 * Pool usage of every pg (pg-pool) pool, read when metrics are collected:
 * connections by state, requests waiting for a connection, and the maximum.
 *
 * Why not instrumentation-pg's own pool instruments (0.77): it updates them from
 * pool events with one running total shared by all pools (wrong with two pools),
 * samples the waiting count only when a client is acquired or released, and with
 * requireParentSpan registers a pool only once it is used inside a span. Reading
 * the pool's own counters at collection time is exact and costs nothing per query;
 * the pg instruments are dropped by a view so each series exists once.
 *
 * It also binds `pool.connect(callback)` callbacks to the caller's context. pg-pool
 * hands a released client to the next waiter from inside the releasing request's
 * context; without this, a callback-style query under a busy pool is parented to
 * someone else's request (instrumentation-pg only binds when it makes connect spans).
 */
import { context } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { DISTRIBUTION_VERSION } from '../version';
import { DB_CONNECTION_MAX, DB_CONNECTION_PENDING_REQUESTS, DB_CONNECTION_USAGE } from './metric-names';
import type { PgPool } from './pg-pool';

export const PG_POOL_INSTRUMENTATION_NAME = '@o4o/otel/pg-pool';

type Connect = (this: PgPool, callback?: (...args: unknown[]) => unknown) => unknown;
type PoolClass = { prototype: { connect: Connect } };

const OURS = Symbol('@o4o/otel pg-pool connect');
const ORIGINAL = Symbol('@o4o/otel pg-pool original connect');
const markOurs = (fn: Connect, original: Connect): Connect => Object.assign(fn, { [OURS]: true, [ORIGINAL]: original });
const isOurs = (fn: unknown): boolean => typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[OURS] === true;

const POOL_NAME = 'db.client.connection.pool.name';
const STATE = 'db.client.connection.state';

/** `host:port/database`, as the semantic conventions suggest; never the user or password. */
export function poolName(options: PgPool['options']): string {
  let host = options?.host;
  let port = options?.port;
  let database = options?.database;
  if (options?.connectionString) {
    try {
      const url = new URL(options.connectionString);
      host = url.hostname || host;
      port = url.port || port;
      database = url.pathname.slice(1) || database;
    } catch {
      // keep the separate options
    }
  }
  return `${host ?? 'localhost'}:${port ?? 5432}/${database ?? 'unknown_database'}`;
}

export class PgPoolMetricsInstrumentation extends InstrumentationBase {
  private readonly pools = new Set<WeakRef<PgPool>>();
  private readonly seen = new WeakSet<PgPool>();

  constructor() {
    super(PG_POOL_INSTRUMENTATION_NAME, DISTRIBUTION_VERSION, {});
  }

  protected override _updateMetricInstruments(): void {
    const count = this.meter.createObservableUpDownCounter(DB_CONNECTION_USAGE, {
      description: 'Connections in each state (used, idle) per pool.',
      unit: '{connection}',
    });
    const pending = this.meter.createObservableUpDownCounter(DB_CONNECTION_PENDING_REQUESTS, {
      description: 'Requests waiting for a connection from the pool.',
      unit: '{request}',
    });
    const max = this.meter.createObservableUpDownCounter(DB_CONNECTION_MAX, {
      description: 'The most connections the pool may open.',
      unit: '{connection}',
    });
    count.addCallback((result) =>
      this.eachPool((pool, name) => {
        result.observe(pool.totalCount - pool.idleCount, { [POOL_NAME]: name, [STATE]: 'used' });
        result.observe(pool.idleCount, { [POOL_NAME]: name, [STATE]: 'idle' });
      }),
    );
    pending.addCallback((result) => this.eachPool((pool, name) => result.observe(pool.waitingCount, { [POOL_NAME]: name })));
    // pg-pool's own default when `max` is not given.
    max.addCallback((result) => this.eachPool((pool, name) => result.observe(pool.options?.max ?? 10, { [POOL_NAME]: name })));
  }

  private eachPool(each: (pool: PgPool, name: string) => void): void {
    for (const ref of this.pools) {
      const pool = ref.deref();
      if (pool === undefined || pool.ended === true) {
        this.pools.delete(ref);
        continue;
      }
      try {
        each(pool, poolName(pool.options));
      } catch (error) {
        this._diag.debug('could not read a pg pool', error);
      }
    }
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        'pg-pool',
        ['>=2.0.0 <4'],
        (exports: PoolClass | { default: PoolClass }) => {
          const Pool = 'default' in exports && exports.default ? exports.default : (exports as PoolClass);
          // instrumentation-pg wraps the same method and first unwraps any shimmer wrapper it
          // finds there, which would silently drop ours. So ours is a plain function (no
          // shimmer marks): whichever hook runs first, both wrappers stay in the chain.
          const current = Pool.prototype.connect;
          if (!isOurs(current)) Pool.prototype.connect = markOurs(this.connectPatch(current), current);
          return exports;
        },
        (exports?: PoolClass | { default: PoolClass }) => {
          if (!exports) return;
          const Pool = 'default' in exports && exports.default ? exports.default : (exports as PoolClass);
          const current = Pool.prototype.connect as Connect & { [ORIGINAL]?: Connect };
          if (isOurs(current) && current[ORIGINAL]) Pool.prototype.connect = current[ORIGINAL];
        },
      ),
    ];
  }

  private connectPatch(original: Connect): Connect {
    const track = (pool: PgPool): void => {
      if (this.seen.has(pool)) return;
      this.seen.add(pool);
      this.pools.add(new WeakRef(pool));
    };
    return function connect(this: PgPool, callback?: (...args: unknown[]) => unknown): unknown {
      track(this);
      return original.call(this, typeof callback === 'function' ? context.bind(context.active(), callback) : callback);
    };
  }
}
