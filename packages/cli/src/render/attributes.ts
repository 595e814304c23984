/**
 * The few span attributes that tell an on-call engineer what a span did, with
 * short labels. Semantic-convention names first, older names as fallbacks.
 */
import type { AttributeValue } from '../model';
import { oneLine } from './format';

/** [label, attribute names in order of preference]. */
export const KEY_ATTRIBUTES: readonly (readonly [string, readonly string[]])[] = [
  ['route', ['http.route']],
  ['status', ['http.response.status_code', 'http.status_code']],
  ['order.id', ['order.id']],
  ['db', ['db.system.name', 'db.system']],
  ['db.op', ['db.operation.name', 'db.operation']],
  ['table', ['db.collection.name', 'db.sql.table']],
  ['rpc', ['rpc.method']],
  ['url', ['url.full', 'http.url']],
  ['error.type', ['error.type']],
  ['error', ['otel.status_description', 'exception.message']],
];

export function keyAttributes(attributes: Readonly<Record<string, AttributeValue>>): [string, string][] {
  const found: [string, string][] = [];
  for (const [label, names] of KEY_ATTRIBUTES) {
    const name = names.find((n) => attributes[n] !== undefined && attributes[n] !== '');
    if (name) found.push([label, oneLine(attributes[name], 60)]);
  }
  return found;
}

export function formatPairs(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}=${v}`).join(' ');
}
