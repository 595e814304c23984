/**
 * The running SDK, kept on a global symbol so that the public API finds it even
 * when the preload and the app load different copies of this package.
 */
import type { Telemetry } from './telemetry';

const KEY = Symbol.for('@o4o/otel.telemetry');
type Holder = { [KEY]?: Telemetry };

export function getActiveTelemetry(): Telemetry | undefined {
  return (globalThis as Holder)[KEY];
}

export function setActiveTelemetry(telemetry: Telemetry): void {
  (globalThis as Holder)[KEY] = telemetry;
}
