/**
 * TypeORM telemetry without data: one CLIENT span per SQL statement (the driver's,
 * or ours for better-sqlite3), carrying the ORM operation that issued it
 * (`o4o.db.orm.operation` `findOneBy`, `o4o.db.orm.entity` `Order`); one span per
 * transaction, which says how it ended. A repository call is no span of its own:
 * it only wraps its statements. Only names, tables and parameterized SQL are
 * recorded; entity values and bound parameters never are unless the operator
 * opts in.
 *
 * TypeORM is imported by type only, and patched file by file: its public entry
 * (`index.js`, and `index.mjs` for ESM, which re-exports it) loads these internal
 * CommonJS files with `require`, so the same hooks serve `--require` and `--import`.
 *
 * Nesting: an ORM call made while another is running (Repository.save calling
 * EntityManager.save calling a query builder) is the same operation: its SQL
 * carries the outer call. A transaction's callback is the user's code again, so
 * operations inside it name their own statements, under the transaction span.
 */
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped } from '@opentelemetry/instrumentation';
import { DISTRIBUTION_VERSION } from '../version';
import { ATTR, StatementCache, describeError, describeSanitizedSql, parameterAttributes, type SqlSpanShape } from '../db/attributes';
import { DB_OPERATION_DURATION } from '../db/metric-names';
import { AttributeVariants } from '../hot-metrics/attribute-variants';
import type { DurationHistogram } from '../hot-metrics/hot-histogram';
import { createDurationHistogram } from '../hot-metrics/meter-provider';
import type { TypeormInstrumentationConfig } from './types';
import type { AnyFunction, EntityManagerLike, EntityMetadataLike, QueryBuilderLike, QueryRunnerLike } from './internal-types';
import { OrmOperationCache, ormOperationOf, withOrmOperation, withoutOrmOperation } from '../db/orm-operation';
import { builderMetadata, builderOperation, dataSourceOf, metadataOf, namespaceOf, transactionAttributes, targetOfCall } from './utils';

export const TYPEORM_INSTRUMENTATION_NAME = '@o4o/otel/typeorm';

/** Tested with 0.3.31 and 1.1.1. */
const SUPPORTED_VERSIONS = ['>=0.3.0 <2'];

const ENTITY_MANAGER_METHODS = [
  'find', 'findBy', 'findAndCount', 'findAndCountBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail',
  'exists', 'existsBy', 'count', 'countBy', 'sum', 'average', 'minimum', 'maximum', 'preload',
  'save', 'remove', 'softRemove', 'recover', 'insert', 'upsert', 'update', 'updateAll',
  'delete', 'deleteAll', 'softDelete', 'restore', 'clear', 'increment', 'decrement',
] as const;

const SELECT_BUILDER_METHODS = ['getRawOne', 'getRawMany', 'getRawAndEntities', 'getOne', 'getOneOrFail', 'getMany', 'getManyAndCount', 'getCount', 'getExists'] as const;

const WRITE_BUILDERS: readonly [file: string, className: string, operation: string][] = [
  ['InsertQueryBuilder', 'InsertQueryBuilder', 'insert'],
  ['UpdateQueryBuilder', 'UpdateQueryBuilder', 'update'],
  ['DeleteQueryBuilder', 'DeleteQueryBuilder', 'delete'],
  ['SoftDeleteQueryBuilder', 'SoftDeleteQueryBuilder', 'softDelete'],
];

type Prototype = Record<string, unknown>;
type ModuleExports = Record<string, { prototype?: Prototype } | undefined>;

export class TypeormInstrumentation extends InstrumentationBase<TypeormInstrumentationConfig> {
  private operationDuration: DurationHistogram | undefined;
  /** A statement's metric attributes with `error.type`, one frozen object per error type. */
  private readonly failedStatements = new AttributeVariants();
  private readonly operations = new OrmOperationCache();

  constructor(config: TypeormInstrumentationConfig = {}) {
    super(TYPEORM_INSTRUMENTATION_NAME, DISTRIBUTION_VERSION, config);
  }

  protected override _updateMetricInstruments(): void {
    // Aggregated in process when the meter is ours (hot-metrics/): no attribute hashing per statement.
    this.operationDuration = createDurationHistogram(this.meter, DB_OPERATION_DURATION, {
      description: 'Duration of database client operations.',
      unit: 's',
    });
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const file = (path: string, patch: (exports: ModuleExports) => void, unpatch: (exports: ModuleExports) => void): InstrumentationNodeModuleFile =>
      new InstrumentationNodeModuleFile(
        `typeorm/${path}`,
        SUPPORTED_VERSIONS,
        (exports: ModuleExports) => {
          patch(exports);
          return exports;
        },
        (exports?: ModuleExports) => {
          if (exports) unpatch(exports);
        },
      );
    const prototypeOf = (exports: ModuleExports, className: string): Prototype | undefined => exports?.[className]?.prototype;

    return [
      new InstrumentationNodeModuleDefinition('typeorm', SUPPORTED_VERSIONS, undefined, undefined, [
        file(
          'entity-manager/EntityManager.js',
          (exports) => this.patchEntityManager(prototypeOf(exports, 'EntityManager')),
          (exports) => this.unwrapAll(prototypeOf(exports, 'EntityManager'), [...ENTITY_MANAGER_METHODS, 'transaction', 'query']),
        ),
        file(
          'data-source/DataSource.js',
          (exports) => this.wrapMethod(prototypeOf(exports, 'DataSource'), 'query', (original) => this.operationPatch(original, () => this.operations.get('query', undefined))),
          (exports) => this.unwrapAll(prototypeOf(exports, 'DataSource'), ['query']),
        ),
        file(
          'query-builder/SelectQueryBuilder.js',
          (exports) => this.patchSelectBuilder(prototypeOf(exports, 'SelectQueryBuilder')),
          (exports) => this.unwrapAll(prototypeOf(exports, 'SelectQueryBuilder'), [...SELECT_BUILDER_METHODS]),
        ),
        ...WRITE_BUILDERS.map(([path, className, operation]) =>
          file(
            `query-builder/${path}.js`,
            (exports) =>
              this.wrapMethod(prototypeOf(exports, className), 'execute', (original) =>
                this.operationPatch(original, (builder) => {
                  const qb = builder as QueryBuilderLike;
                  return this.operations.get(builderOperation(qb, operation), entityName(builderMetadata(qb)));
                }),
              ),
            (exports) => this.unwrapAll(prototypeOf(exports, className), ['execute']),
          ),
        ),
        file(
          'driver/better-sqlite3/BetterSqlite3QueryRunner.js',
          (exports) => this.wrapMethod(prototypeOf(exports, 'BetterSqlite3QueryRunner'), 'query', (original) => this.sqlitePatch(original)),
          (exports) => this.unwrapAll(prototypeOf(exports, 'BetterSqlite3QueryRunner'), ['query']),
        ),
      ]),
    ];
  }

  private wrapMethod(proto: Prototype | undefined, name: string, wrapper: (original: AnyFunction) => AnyFunction): void {
    if (!proto || typeof proto[name] !== 'function') return;
    if (isWrapped(proto[name])) this._unwrap(proto, name);
    this._wrap(proto, name, wrapper as (original: unknown) => unknown);
  }

  private unwrapAll(proto: Prototype | undefined, names: readonly string[]): void {
    if (!proto) return;
    for (const name of names) if (isWrapped(proto[name])) this._unwrap(proto, name);
  }

  private patchEntityManager(proto: Prototype | undefined): void {
    for (const method of ENTITY_MANAGER_METHODS) {
      this.wrapMethod(proto, method, (original) =>
        this.operationPatch(original, (manager, args) => {
          const dataSource = dataSourceOf(manager as EntityManagerLike);
          return this.operations.get(method, entityName(metadataOf(dataSource, targetOfCall(method, args))));
        }),
      );
    }
    this.wrapMethod(proto, 'query', (original) => this.operationPatch(original, () => this.operations.get('query', undefined)));
    this.wrapMethod(proto, 'transaction', (original) => this.transactionPatch(original));
  }

  private patchSelectBuilder(proto: Prototype | undefined): void {
    for (const method of SELECT_BUILDER_METHODS) {
      this.wrapMethod(proto, method, (original) =>
        this.operationPatch(original, (builder) => this.operations.get(method, entityName(builderMetadata(builder as QueryBuilderLike)))),
      );
    }
  }

  /**
   * Runs an ORM method with its operation in the context, for the SQL spans beneath
   * it; unless it runs inside another ORM operation, or outside any recorded span
   * (schema sync and seeding at startup, scripts: a job worth tracing starts a span
   * of its own), where its statements are not traced either.
   */
  private operationPatch(original: AnyFunction, describe: (self: unknown, args: unknown[]) => Attributes): AnyFunction {
    const run = (self: unknown, args: unknown[]): unknown => {
      const active = context.active();
      if (ormOperationOf(active) !== undefined || notTraced(trace.getSpan(active))) return original.apply(self, args);
      let operation: Attributes;
      try {
        operation = describe(self, args);
      } catch (error) {
        this._diag.debug('could not describe a TypeORM call', error);
        return original.apply(self, args);
      }
      return context.with(withOrmOperation(active, operation), original, self, ...args);
    };
    return function patched(this: unknown, ...args: unknown[]): unknown {
      return run(this, args);
    };
  }

  /** `transaction` gets a span; the user's callback runs under it as user code again. */
  private transactionPatch(original: AnyFunction): AnyFunction {
    const run = (self: unknown, args: unknown[]): unknown => {
      const active = context.active();
      const callbackIndex = args.findIndex((a) => typeof a === 'function');
      if (ormOperationOf(active) !== undefined || callbackIndex === -1 || notTraced(trace.getSpan(active))) return original.apply(self, args);
      const attributes = transactionAttributes(dataSourceOf(self as EntityManagerLike));
      const span = this.tracer.startSpan('typeorm.transaction', { kind: SpanKind.INTERNAL, attributes }, active);
      const withSpan = trace.setSpan(active, span);
      const callback = args[callbackIndex] as AnyFunction;
      const callbackContext: Context = withoutOrmOperation(withSpan);
      const wrappedArgs = [...args];
      wrappedArgs[callbackIndex] = function runInTransaction(this: unknown, ...cbArgs: unknown[]): unknown {
        return context.with(callbackContext, () => callback.apply(this, cbArgs));
      };
      return settle(
        () => context.with(withOrmOperation(withSpan, this.operations.get('transaction', undefined)), () => original.apply(self, wrappedArgs)),
        (error) => this.endTransaction(span, error),
      );
    };
    return function transaction(this: unknown, ...args: unknown[]): unknown {
      return run(this, args);
    };
  }

  /** SQL spans for better-sqlite3, which has no driver instrumentation of its own. */
  private sqlitePatch(original: AnyFunction): AnyFunction {
    const statements = new StatementCache((sanitized) => sqliteStatement(describeSanitizedSql(sanitized)));
    const run = (self: unknown, args: unknown[]): unknown => {
      const active = context.active();
      const sql = args[0];
      // Like instrumentation-pg's requireParentSpan: schema sync and migrations at startup are not traced.
      const parent = typeof sql === 'string' ? trace.getSpan(active) : undefined;
      if (parent === undefined) return original.apply(self, args);
      let statement: SqliteStatement;
      try {
        statement = statements.get(sql as string);
      } catch (error) {
        this._diag.debug('could not describe an SQL statement', error);
        return original.apply(self, args);
      }
      const runner = self as QueryRunnerLike;
      const namespace = namespaceOf(runner.driver?.options?.database);
      const { attributes: statementAttributes, metricAttributes } = statement.forNamespace(namespace);
      let started = performance.now();
      const recordDuration = (errorType: string | undefined): void => {
        const attributes = errorType === undefined ? metricAttributes : this.failedStatements.with(metricAttributes, ATTR.errorType, errorType);
        this.operationDuration?.record((performance.now() - started) / 1000, attributes);
      };
      // An unsampled request still counts in the duration histogram, at the cost of a clock read.
      if (isUnsampled(parent)) return settle(() => original.apply(self, args), (error) => recordDuration(error === NO_ERROR ? undefined : this.describeFailure(error).type));
      const attributes = statement.withOperation(statementAttributes, ormOperationOf(active));
      const spanAttributes = this.getConfig().captureParameters ? { ...attributes, ...parameterAttributes(args[1] as unknown[]) } : attributes;
      const span = this.tracer.startSpan(statement.name, { kind: SpanKind.CLIENT, attributes: spanAttributes }, active);
      started = performance.now();
      // Nothing runs beneath a statement, so its span need not become the active one.
      return this.endWhenSettled(span, () => original.apply(self, args), recordDuration);
    };
    return function query(this: unknown, ...args: unknown[]): unknown {
      return run(this, args);
    };
  }

  /**
   * A transaction the database could not run is an error span. One the app's
   * own code rolled back, by throwing a business error out of its callback (an
   * out-of-stock checkout), did what it was asked: the database worked, so the
   * span is not an error (semantic conventions: a span is an error when its
   * operation failed). It says what happened instead: outcome `rolled_back`,
   * the error's type, and a `rollback` event; never the error's message, which
   * may quote data.
   */
  private endTransaction(span: Span, error: unknown): void {
    if (error === NO_ERROR) {
      span.setAttribute(TRANSACTION_OUTCOME, 'committed');
      span.end();
      return;
    }
    const { type, message } = this.describeFailure(error);
    if (isDatabaseFailure(error)) {
      span.setAttribute(TRANSACTION_OUTCOME, 'failed');
      span.setAttribute(ATTR.errorType, type);
      span.addEvent('exception', { 'exception.type': type, 'exception.message': message });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    } else {
      span.setAttribute(TRANSACTION_OUTCOME, 'rolled_back');
      span.setAttribute(TRANSACTION_ROLLBACK_CAUSE, type);
      span.addEvent('rollback', { 'exception.type': type, message: `rolled back: the application threw ${type}` });
    }
    span.end();
  }

  private describeFailure(error: unknown): { type: string; message: string } {
    return describeError(error, this.getConfig().captureParameters === true);
  }

  /** Runs `work`, ends `span` when its promise settles; records errors without their data. */
  private endWhenSettled(span: Span, work: () => unknown, onEnd?: (errorType: string | undefined) => void): unknown {
    return settle(work, (error) => {
      if (error === NO_ERROR) {
        onEnd?.(undefined);
        span.end();
        return;
      }
      const { type, message } = this.describeFailure(error);
      span.setAttribute(ATTR.errorType, type);
      span.addEvent('exception', { 'exception.type': type, 'exception.message': message });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      onEnd?.(type);
      span.end();
    });
  }
}

/** What `settle` reports for work that succeeded (any value, undefined included, may be thrown). */
const NO_ERROR = Symbol('no error');

/** How a traced transaction ended: `committed`, `rolled_back` by the app's own error, or `failed` in the database. */
export const TRANSACTION_OUTCOME = 'o4o.db.transaction.outcome';
/** The type of the app's error that rolled a transaction back. */
export const TRANSACTION_ROLLBACK_CAUSE = 'o4o.db.transaction.rollback_cause';

/** An error the database or its driver raised (TypeORM wraps those with `driverError`), not one the app threw. */
function isDatabaseFailure(error: unknown): boolean {
  const e = error as { name?: unknown; driverError?: unknown; code?: unknown; errno?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (e.driverError !== undefined || e.name === 'QueryFailedError' || e.name === 'SqliteError' || e.name === 'DatabaseError') return true;
  // SQLSTATE (PostgreSQL) or SQLITE_* codes.
  return typeof e.code === 'string' && (/^[0-9A-Z]{5}$/.test(e.code) || e.code.startsWith('SQLITE_'));
}

/** `Order`, from the entity's metadata, when TypeORM knows it. */
function entityName(metadata: EntityMetadataLike | undefined): string | undefined {
  return metadata?.name ?? metadata?.targetName;
}

/** No span to hang this work on, or one that is not recorded. */
function notTraced(span: Span | undefined): boolean {
  return span === undefined || isUnsampled(span);
}

/** Runs `work` and calls `settled` once it is done, synchronously or when its promise settles; the result is unchanged. */
function settle(work: () => unknown, settled: (error: unknown) => void): unknown {
  let result: unknown;
  try {
    result = work();
  } catch (error) {
    settled(error);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        settled(NO_ERROR);
        return value;
      },
      (error: unknown) => {
        settled(error);
        throw error;
      },
    );
  }
  settled(NO_ERROR);
  return result;
}

/**
 * The active span belongs to a request that is not sampled: its ORM and SQL
 * spans would be dropped anyway, so none are made (no attributes, no context
 * switch). A remote parent (a NonRecordingSpan with the sampled flag) is not this.
 */
function isUnsampled(span: Span | undefined): boolean {
  return span !== undefined && (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0 && !span.isRecording();
}

interface StatementAttributes {
  readonly attributes: Attributes;
  readonly metricAttributes: Attributes;
}

interface SqliteStatement {
  readonly name: string;
  /** Span and metric attributes for a database; built once for the database seen first. */
  forNamespace(namespace: string | undefined): StatementAttributes;
  /** The statement's span attributes with the ORM operation's, merged once per operation. */
  withOperation(attributes: Attributes, operation: Attributes | undefined): Attributes;
}

/** A statement's span and metric attributes, built once rather than per call. */
function sqliteStatement(shape: SqlSpanShape): SqliteStatement {
  const build = (namespace: string | undefined): StatementAttributes => {
    const base: Attributes = { [ATTR.systemName]: 'sqlite', ...(namespace === undefined ? {} : { [ATTR.namespace]: namespace }) };
    return { attributes: Object.freeze({ ...base, ...shape.attributes }), metricAttributes: Object.freeze({ ...base, [ATTR.operationName]: shape.operation }) };
  };
  let first: { namespace: string | undefined; built: StatementAttributes } | undefined;
  // Keyed by the frozen objects OrmOperationCache hands out: one merge per operation shape.
  const merged = new WeakMap<Attributes, WeakMap<Attributes, Attributes>>();
  return {
    name: shape.name,
    withOperation(attributes, operation) {
      if (operation === undefined) return attributes;
      let byOperation = merged.get(attributes);
      if (byOperation === undefined) merged.set(attributes, (byOperation = new WeakMap()));
      let result = byOperation.get(operation);
      if (result === undefined) byOperation.set(operation, (result = Object.freeze({ ...attributes, ...operation })));
      return result;
    },
    forNamespace(namespace) {
      first ??= { namespace, built: build(namespace) };
      return first.namespace === namespace ? first.built : build(namespace);
    },
  };
}
