/**
 * Frozen copies of an attribute set with one attribute added (a statement's
 * metric attributes plus `error.type`), built once per (set, key, value), so a
 * hot histogram sees the same object for the same series instead of a new
 * spread per measurement.
 */
import type { Attributes } from '@opentelemetry/api';

/** Variants kept per attribute set; past it they are built per call (and hashed, as the SDK does). */
const MAX_VARIANTS_PER_SET = 64;

export class AttributeVariants {
  private readonly variants = new WeakMap<Attributes, Map<string, Attributes>>();

  with(base: Attributes, key: string, value: string): Attributes {
    let byValue = this.variants.get(base);
    if (byValue === undefined) this.variants.set(base, (byValue = new Map()));
    const id = `${key}\u0000${value}`;
    const known = byValue.get(id);
    if (known !== undefined) return known;
    const variant = { ...base, [key]: value };
    if (byValue.size >= MAX_VARIANTS_PER_SET) return variant;
    const frozen = Object.freeze(variant);
    byValue.set(id, frozen);
    return frozen;
  }
}
