/**
 * Instruments created on the global meter provider, lazily, and created again
 * when the provider changes: with the preload they land in the SDK, without it
 * they are the API's no-ops, and an app that starts its own SDK after first use
 * still gets real ones.
 */
import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import { DISTRIBUTION_VERSION } from './version';

export function onGlobalProvider<T>(scope: string, create: (meter: Meter) => T): () => T {
  let cached: { provider: MeterProvider; instruments: T } | undefined;
  return () => {
    const provider = metrics.getMeterProvider();
    if (cached === undefined || cached.provider !== provider) cached = { provider, instruments: create(provider.getMeter(scope, DISTRIBUTION_VERSION)) };
    return cached.instruments;
  };
}
