/**
 * The ORM operation a SQL statement belongs to. An ORM call (`findOneBy` on
 * `Order`) gets no span of its own: it puts these attributes in the context, and
 * every SQL span made beneath it carries them. One span per statement, and the
 * trace still says which repository call issued it.
 */
import { createContextKey, type Attributes, type Context } from '@opentelemetry/api';

/** `findOneBy`, `save`, `getMany`, `query`, `transaction`: the ORM method that issued the statement. */
export const ATTR_ORM_OPERATION = 'o4o.db.orm.operation';
/** `Order`: the entity the ORM method was called for, when it names one. */
export const ATTR_ORM_ENTITY = 'o4o.db.orm.entity';

const ORM_OPERATION = createContextKey('@o4o/otel orm operation');

/** The attributes of the ORM operation running in `ctx`, if any. */
export function ormOperationOf(ctx: Context): Attributes | undefined {
  return ctx.getValue(ORM_OPERATION) as Attributes | undefined;
}

export function withOrmOperation(ctx: Context, attributes: Attributes): Context {
  return ctx.setValue(ORM_OPERATION, attributes);
}

export function withoutOrmOperation(ctx: Context): Context {
  return ctx.deleteValue(ORM_OPERATION);
}

/**
 * Frozen attributes per (operation, entity), made once: the same object for every
 * call, so the SQL span can cache its merged attributes against it.
 */
export class OrmOperationCache {
  private readonly byOperation = new Map<string, { readonly none: Attributes; readonly byEntity: Map<string, Attributes> }>();

  get(operation: string, entity: string | undefined): Attributes {
    let entry = this.byOperation.get(operation);
    if (entry === undefined) {
      entry = { none: Object.freeze({ [ATTR_ORM_OPERATION]: operation }), byEntity: new Map() };
      this.byOperation.set(operation, entry);
    }
    if (entity === undefined) return entry.none;
    let attributes = entry.byEntity.get(entity);
    if (attributes === undefined) {
      attributes = Object.freeze({ [ATTR_ORM_OPERATION]: operation, [ATTR_ORM_ENTITY]: entity });
      // Entity names come from the app's model classes: a handful. Bound anyway.
      if (entry.byEntity.size < 1_000) entry.byEntity.set(entity, attributes);
    }
    return attributes;
  }
}
