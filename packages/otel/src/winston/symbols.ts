/** Symbols shared by the bridge and the house logger, kept apart so the house logger does not load the instrumentation. */

/** Marks a winston format that already redacts, so it is not wrapped a second time. */
export const REDACTING = Symbol.for('@o4o/otel.winston.redacting');

/** Where the bridge keeps the context that was active when the app logged. */
export const LOG_CONTEXT = Symbol.for('@o4o/otel.winston.context');
