/** The winston transport that hands each record to the OpenTelemetry logger. */
import { Writable } from 'node:stream';

/**
 * The transport that hands records to OpenTelemetry: a plain object-mode
 * stream, so winston need not be loaded to build it. winston.add() reads
 * `log.length` to tell modern transports from legacy ones, hence `log`.
 */
export class OpenTelemetryTransport extends Writable {
  constructor(private readonly forward: (info: Record<string | symbol, unknown>) => void) {
    super({ objectMode: true });
  }

  log(info: Record<string | symbol, unknown>, callback: () => void): void {
    try {
      this.forward(info);
    } catch {
      // A record that cannot be converted is dropped; the app's other transports still get it.
    }
    callback();
  }

  override _write(info: Record<string | symbol, unknown>, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.log(info, () => callback());
  }
}
