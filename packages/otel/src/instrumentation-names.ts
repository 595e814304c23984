/**
 * The instrumentations this distribution knows, by the short names used in
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS.
 */
export const INSTRUMENTATION_NAMES = ['http', 'express', 'undici', 'runtime-node', 'pg', 'typeorm', 'winston'] as const;

export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

export const DEFAULT_INSTRUMENTATIONS: readonly InstrumentationName[] = INSTRUMENTATION_NAMES;
