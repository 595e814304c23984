/** The parts of winston the bridge touches, typed without loading winston. */
import type { Writable } from 'node:stream';
import type { REDACTING } from './symbols';

export interface Format {
  transform(info: object, options?: unknown): object | boolean;
  options?: unknown;
  [REDACTING]?: true;
}

export interface WinstonLogger {
  format?: Format;
  add(transport: Writable): unknown;
}

export interface LoggerModule {
  prototype: { write: (...args: unknown[]) => unknown; configure: (...args: unknown[]) => unknown };
}
