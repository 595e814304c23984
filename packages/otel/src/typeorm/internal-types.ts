/**
 * The few shapes of TypeORM objects the instrumentation reads. Declared here
 * rather than imported, so that instrumenting never loads TypeORM and the same
 * code serves 0.3.x and 1.x, whose class names and fields differ slightly.
 */

export interface EntityMetadataLike {
  readonly name?: string;
  readonly targetName?: string;
  readonly tableName?: string;
}

export interface DataSourceLike {
  readonly options?: { readonly type?: string; readonly database?: unknown; readonly url?: unknown };
  hasMetadata?(target: unknown): boolean;
  getMetadata?(target: unknown): EntityMetadataLike;
}

/** EntityManager: 1.x calls its data source `dataSource`, 0.3.x `connection`. */
export interface EntityManagerLike {
  readonly dataSource?: DataSourceLike;
  readonly connection?: DataSourceLike;
}

export interface QueryBuilderLike {
  readonly dataSource?: DataSourceLike;
  readonly connection?: DataSourceLike;
  readonly expressionMap?: {
    readonly queryType?: string;
    readonly mainAlias?: { readonly hasMetadata?: boolean; readonly metadata?: EntityMetadataLike };
  };
}

export interface QueryRunnerLike {
  readonly driver?: { readonly options?: { readonly database?: unknown } };
}

export type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
