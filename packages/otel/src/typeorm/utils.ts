/** Pure helpers: which database, which entity, which operation a TypeORM call is about. */
import type { Attributes } from '@opentelemetry/api';
import { ATTR } from '../db/attributes';
import type { DataSourceLike, EntityMetadataLike, QueryBuilderLike } from './internal-types';

/** TypeORM driver `type` to `db.system.name` (semantic conventions 1.3x). */
const SYSTEM_NAMES: Readonly<Record<string, string>> = {
  postgres: 'postgresql',
  'aurora-postgres': 'postgresql',
  cockroachdb: 'cockroachdb',
  mysql: 'mysql',
  'aurora-mysql': 'mysql',
  mariadb: 'mariadb',
  mssql: 'microsoft.sql_server',
  oracle: 'oracle.db',
  sap: 'sap.hana',
  spanner: 'gcp.spanner',
  mongodb: 'mongodb',
  sqlite: 'sqlite',
  'better-sqlite3': 'sqlite',
  sqljs: 'sqlite',
  capacitor: 'sqlite',
  cordova: 'sqlite',
  expo: 'sqlite',
  nativescript: 'sqlite',
  'react-native': 'sqlite',
};

export function systemName(dataSource: DataSourceLike | undefined): string {
  const type = dataSource?.options?.type;
  return (type !== undefined && SYSTEM_NAMES[type]) || 'other_sql';
}

export function namespaceOf(database: unknown, url?: unknown): string | undefined {
  if (typeof database === 'string' && database !== '') return database;
  if (typeof url !== 'string') return undefined;
  try {
    // Only the path of a connection URL: its user and password stay out.
    return decodeURIComponent(new URL(url).pathname.slice(1)) || undefined;
  } catch {
    return undefined;
  }
}

/** Metadata of a target (class, schema or name); undefined when TypeORM does not know it. */
export function metadataOf(dataSource: DataSourceLike | undefined, target: unknown): EntityMetadataLike | undefined {
  if (target === undefined || target === null || dataSource === undefined) return undefined;
  try {
    if (dataSource.hasMetadata?.(target) !== true) return undefined;
    return dataSource.getMetadata?.(target);
  } catch {
    return undefined;
  }
}

/** Methods whose first argument is a target only when an entity follows it. */
const ENTITY_FIRST_METHODS = new Set(['save', 'remove', 'softRemove', 'recover']);

/** The entity target of an EntityManager call, as TypeORM itself decides it. */
export function targetOfCall(method: string, args: readonly unknown[]): unknown {
  const first = args[0];
  if (!ENTITY_FIRST_METHODS.has(method)) return first;
  if (args.length > 1 && args[1] !== undefined && (typeof first === 'function' || typeof first === 'string' || isEntitySchema(first))) return first;
  // save(entity) or save([entities]): the entity's class is the target.
  const entity = Array.isArray(first) ? first[0] : first;
  const ctor = typeof entity === 'object' && entity !== null ? (entity as { constructor?: unknown }).constructor : undefined;
  return ctor === Object ? undefined : ctor;
}

function isEntitySchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { constructor?: { name?: string } }).constructor?.name === 'EntitySchema';
}

export function dataSourceOf(owner: { dataSource?: DataSourceLike; connection?: DataSourceLike } | undefined): DataSourceLike | undefined {
  return owner?.dataSource ?? owner?.connection;
}

export function builderMetadata(builder: QueryBuilderLike): EntityMetadataLike | undefined {
  try {
    const alias = builder.expressionMap?.mainAlias;
    return alias?.hasMetadata ? alias.metadata : undefined;
  } catch {
    return undefined;
  }
}

/** `insert`, `update`, `delete`, `softDelete`, `restore` from a builder's query type. */
export function builderOperation(builder: QueryBuilderLike, fallback: string): string {
  const type = builder.expressionMap?.queryType;
  return typeof type === 'string' && type !== '' ? type.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()) : fallback;
}

/** Per data source: its options do not change once it is built. */
const transactionAttributeCache = new WeakMap<DataSourceLike, Attributes>();
const NO_DATA_SOURCE: Attributes = Object.freeze(buildTransactionAttributes(undefined));

/** A transaction span's db.* attributes: the system and the database, never any value; made once per data source. */
export function transactionAttributes(dataSource: DataSourceLike | undefined): Attributes {
  if (dataSource === undefined) return NO_DATA_SOURCE;
  let attributes = transactionAttributeCache.get(dataSource);
  if (attributes === undefined) transactionAttributeCache.set(dataSource, (attributes = Object.freeze(buildTransactionAttributes(dataSource))));
  return attributes;
}

function buildTransactionAttributes(dataSource: DataSourceLike | undefined): Attributes {
  const attributes: Attributes = {
    [ATTR.systemName]: systemName(dataSource),
    [ATTR.operationName]: 'transaction',
    [ATTR.querySummary]: 'transaction',
  };
  const namespace = namespaceOf(dataSource?.options?.database, dataSource?.options?.url);
  if (namespace !== undefined) attributes[ATTR.namespace] = namespace;
  return attributes;
}
