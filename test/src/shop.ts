/**
 * The example shop and its payment provider, started under the real preload and
 * exporting to the local stack's collector, as a service team would run it.
 */
import { join, resolve } from 'node:path';
import { runFixture, type Fixture } from '@o4o/test-utils';
import { STACK } from './stack';

export const SHOP_DIR = resolve(__dirname, '../../examples/shop-api');

export interface RunningShop {
  readonly shop: Fixture;
  readonly provider: Fixture;
  readonly baseUrl: string;
  readonly providerUrl: string;
  readonly serviceName: string;
  stop(): Promise<void>;
}

export interface ShopOptions {
  readonly serviceName: string;
  /** The collector scrapes 127.0.0.1:9464 and probes 127.0.0.1:3000/health by default. */
  readonly port?: number;
  readonly metricsPort?: number;
  readonly env?: Record<string, string | undefined>;
  readonly providerEnv?: Record<string, string | undefined>;
}

export async function startShop(options: ShopOptions): Promise<RunningShop> {
  const provider = await runFixture({
    script: join(SHOP_DIR, 'dist/payment-provider.js'),
    cwd: SHOP_DIR,
    env: { PAYMENT_PROVIDER_PORT: '0', PAYMENT_LATENCY_MS: '20', PAYMENT_FAILURE_RATE: '0.1', ...options.providerEnv },
  });
  let shop: Fixture;
  try {
    shop = await runFixture({
      script: join(SHOP_DIR, 'dist/main.js'),
      cwd: SHOP_DIR,
      preload: { flag: '--require', module: '@o4o/otel/register' },
      env: {
        PORT: String(options.port ?? 3000),
        PAYMENT_PROVIDER_URL: provider.baseUrl,
        OTEL_SERVICE_NAME: options.serviceName,
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e',
        OTEL_EXPORTER_OTLP_ENDPOINT: STACK.collectorOtlpHttp,
        OTEL_EXPORTER_PROMETHEUS_PORT: String(options.metricsPort ?? 9464),
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BLRP_SCHEDULE_DELAY: '200',
        ...options.env,
      },
    });
  } catch (error) {
    await provider.stop();
    throw error;
  }
  return {
    shop,
    provider,
    baseUrl: shop.baseUrl,
    providerUrl: provider.baseUrl,
    serviceName: options.serviceName,
    stop: async () => {
      await shop.stop();
      await provider.stop();
    },
  };
}
