/**
 * The Prometheus scrape endpoint: a cumulative metric reader with its own HTTP
 * server, in place of @opentelemetry/exporter-prometheus's. For a scrape that
 * does not ask for OpenMetrics it answers exactly as that exporter did (its
 * serializer, `content-type: text/plain`, 404 elsewhere, 400 for a URL it
 * cannot parse); one whose Accept header prefers OpenMetrics gets OpenMetrics
 * 1.0, with the hot histograms' trace exemplars.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { AggregationTemporality, AggregationType, MetricReader, type MetricProducer, type ResourceMetrics, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { negotiateExposition } from './negotiation';
import { OPENMETRICS_CONTENT_TYPE, serializeOpenMetrics } from './openmetrics';

export interface ScrapeEndpointOptions {
  readonly host: string;
  readonly port: number;
  /** `/metrics`. */
  readonly path: string;
  readonly cardinalityLimit: number;
  readonly metricProducers?: MetricProducer[];
  /** Puts the collected scopes in the order the exposition lists them. */
  readonly arrangeScopes?: (scopeMetrics: ScopeMetrics[]) => ScopeMetrics[];
}

/** The exporter's component type, so the SDK's own reader metrics name it as before. */
const COMPONENT_TYPE = 'prometheus_http_text_metric_exporter';

export class ScrapeEndpoint extends MetricReader {
  private readonly server: Server;
  private readonly host: string;
  private readonly port: number;
  private readonly path: string;
  private readonly baseUrl: string;
  private readonly arrangeScopes: (scopeMetrics: ScopeMetrics[]) => ScopeMetrics[];
  // Same settings as the exporter had: no prefix, no timestamps, no resource labels, target_info, no scope labels.
  private readonly text = new PrometheusSerializer('', false, undefined, false, true);
  private listening: Promise<void> | undefined;

  constructor(options: ScrapeEndpointOptions) {
    super({
      aggregationSelector: () => ({ type: AggregationType.DEFAULT }),
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
      cardinalitySelector: () => options.cardinalityLimit,
      metricProducers: options.metricProducers,
      otelComponentType: COMPONENT_TYPE,
    });
    this.host = options.host;
    this.port = options.port;
    this.path = options.path;
    this.baseUrl = `http://${options.host}:${options.port}/`;
    this.arrangeScopes = options.arrangeScopes ?? ((scopes) => scopes);
    this.server = createServer((request, response) => this.handle(request, response)).unref();
  }

  /** Listens; rejects with the listen error (the caller reports it). */
  start(): Promise<void> {
    this.listening ??= new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port: this.port, host: this.host }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.listening;
  }

  protected override async onForceFlush(): Promise<void> {
    // A pull reader has nothing to flush.
  }

  protected override onShutdown(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close((error) => {
        if (error !== undefined && (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') diag.debug('metrics endpoint: close failed', error);
        resolve();
      });
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    let pathname: string | undefined;
    try {
      if (request.url != null) pathname = new URL(request.url, this.baseUrl).pathname;
    } catch {
      response.statusCode = 400;
      response.end('Bad Request');
      return;
    }
    if (pathname !== this.path) {
      response.statusCode = 404;
      response.end();
      return;
    }
    const exposition = negotiateExposition(request.headers.accept);
    response.statusCode = 200;
    response.setHeader('content-type', exposition === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : 'text/plain');
    this.collect()
      .then(({ resourceMetrics, errors }) => {
        if (errors.length > 0) diag.error('metrics endpoint: collection errors', ...errors);
        response.end(this.serialize(resourceMetrics, exposition === 'openmetrics'));
      })
      .catch((error: unknown) => {
        // A scrape that fails says so in its body, as the exporter's did; it never rejects into the app.
        if (!response.writableEnded) response.end(`# failed to export metrics: ${String(error)}`);
      });
  }

  private serialize(collected: ResourceMetrics, openMetrics: boolean): string {
    const arranged: ResourceMetrics = { resource: collected.resource, scopeMetrics: this.arrangeScopes(collected.scopeMetrics) };
    return openMetrics ? serializeOpenMetrics(arranged) : this.text.serialize(arranged);
  }
}
