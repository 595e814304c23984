/** Shared setup for fixture tests: a receiver, a free metrics port, a preloaded app. */
import { join, resolve } from 'node:path';
import { freePort, runFixture, startOtlpReceiver, type Fixture, type OtlpReceiver, type ReceiverOptions } from '@o4o/test-utils';

export { freePort };

export const PACKAGE_DIR = resolve(__dirname, '..');
export const FIXTURES = join(__dirname, 'fixtures');

export interface AppUnderTest {
  readonly app: Fixture;
  readonly receiver: OtlpReceiver;
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly script: string;
  readonly esm?: boolean;
  /** Node options before the preload. */
  readonly nodeArgs?: readonly string[];
  readonly env?: Record<string, string | undefined>;
  /** Point the exporters at this URL instead of a live receiver. */
  readonly otlpEndpoint?: string;
  readonly receiver?: ReceiverOptions;
}

/** Starts an OTLP receiver and a fixture app under the preload, exporting to it quickly. */
export async function startApp(options: StartOptions): Promise<AppUnderTest> {
  const receiver = await startOtlpReceiver(options.receiver);
  const metricsPort = await freePort();
  const app = await runFixture({
    script: join(FIXTURES, options.script),
    cwd: PACKAGE_DIR,
    preload: { flag: options.esm ? '--import' : '--require', module: '@o4o/otel/register' },
    nodeArgs: options.nodeArgs,
    env: {
      OTEL_SERVICE_NAME: 'fixture-app',
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint ?? receiver.url,
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      ...options.env,
    },
  });
  return {
    app,
    receiver,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    stop: async () => {
      await app.stop();
      await receiver.close();
    },
  };
}

export const SERVER = 2;
