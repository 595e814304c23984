/** The one startup line that states the effective configuration, secrets redacted. */
import { effectiveTracer, type O4oConfig, type OtlpTarget } from './config';

function headerNames(target: OtlpTarget): string {
  const names = Object.keys(target.headers);
  // Header values are credentials (API keys, bearer tokens): only their names are shown.
  return names.length === 0 ? '' : ` headers=${names.map((n) => `${n}:[redacted]`).join(',')}`;
}

function otlp(target: OtlpTarget): string {
  const url = new URL(target.url);
  url.username = url.username ? '[redacted]' : '';
  url.password = url.password ? '[redacted]' : '';
  url.search = url.search ? '?[redacted]' : '';
  return `otlp(${target.protocol} ${url.toString()}${headerNames(target)})`;
}

export function describeConfig(config: O4oConfig): string {
  const traces = config.traces.exporters.map((e) => (e === 'otlp' ? otlp(config.traces.otlp) : e)).join('+') || 'none';
  const metrics =
    config.metrics.exporters
      .map((e) => (e === 'prometheus' ? `prometheus(http://${config.metrics.prometheus.host}:${config.metrics.prometheus.port}/metrics)` : e === 'otlp' ? otlp(config.metrics.otlp) : e))
      .join('+') || 'none';
  const logs = config.logs.exporters.map((e) => (e === 'otlp' ? otlp(config.logs.otlp) : e)).join('+') || 'none';
  const sampler = config.traces.sampler.endsWith('traceidratio') ? `${config.traces.sampler}(${config.traces.samplerRatio})` : config.traces.sampler;
  return [
    `started service.name=${config.serviceName}`,
    `traces=${traces}`,
    `tracer=${effectiveTracer(config)}`,
    `sampler=${sampler}`,
    `metrics=${metrics}`,
    `logs=${logs}`,
    `instrumentations=${config.instrumentations.join(',') || 'none'}`,
    `ignored_paths=${config.ignoredPaths.join(',') || 'none'}`,
    `shutdown_timeout=${config.shutdownTimeoutMillis}ms`,
  ].join(' ');
}
