// Prints the demo's summary: where to look, what arrived where, one trace to
// follow with its logs, and the alerts that fired. Reads only the backends' APIs,
// through the shared clients (@o4o/backends, built by pnpm -r run build) at the
// addresses of the stack's address book (stack/endpoints.env).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { alertmanagerClient, backendRef, jaegerClient, prometheusClient, searchClient, stackEndpoints } from '@o4o/backends';

const { values } = parseArgs({ options: { since: { type: 'string' }, service: { type: 'string', default: 'shop-api' }, 'traffic-dir': { type: 'string' } } });
const since = Number(values.since ?? Math.floor(Date.now() / 1000) - 3600);
const service = values.service;
const stack = stackEndpoints();
const URLS = {
  shop: 'http://127.0.0.1:3000',
  metrics: 'http://127.0.0.1:9464/metrics',
  prometheus: stack.prometheus,
  alertmanager: stack.alertmanager,
  jaeger: stack.jaeger,
  search: stack.search,
};
const ref = (name, url) => backendRef(name, url, { timeoutMillis: 15_000 });
const prometheus = prometheusClient(ref('Prometheus', URLS.prometheus));
const alertmanager = alertmanagerClient(ref('Alertmanager', URLS.alertmanager));
const jaeger = jaegerClient(ref('Jaeger', URLS.jaeger));
const search = searchClient(ref('Elasticsearch', URLS.search), 'o4o-logs');

async function safely(what, work) {
  try {
    return await work();
  } catch (error) {
    console.log(`  (${what} unavailable: ${error.message})`);
    return undefined;
  }
}

const traffic = { requests: 0, ordersConfirmed: 0, ordersFailed: 0, outOfStock: 0, orderIds: [] };
/** Each phase's outcomes, in the order the demo ran them. */
const PHASES = ['normal', 'slow', 'failing', 'outage'];
const phases = [];
if (values['traffic-dir']) {
  const files = readdirSync(values['traffic-dir']).filter((f) => /^traffic-.+\.json$/.test(f));
  const phaseOf = (f) => f.slice('traffic-'.length, -'.json'.length);
  files.sort((a, b) => (PHASES.indexOf(phaseOf(a)) + 1 || 99) - (PHASES.indexOf(phaseOf(b)) + 1 || 99));
  for (const file of files) {
    const t = JSON.parse(readFileSync(join(values['traffic-dir'], file), 'utf8'));
    for (const key of ['requests', 'ordersConfirmed', 'ordersFailed', 'outOfStock']) traffic[key] += t[key];
    traffic.orderIds.push(...t.orderIds);
    phases.push({ phase: phaseOf(file), ...t });
  }
}

// Counted where Jaeger stores them (the search node): fetching every trace of the
// run through Jaeger's API would take longer than the run itself.
const traces = await safely('Jaeger storage', async () => {
  await search.refresh('jaeger-span-*');
  const body = await search.search('jaeger-span-*', {
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: [{ term: { 'process.serviceName': service } }, { range: { startTimeMillis: { gte: since * 1000 } } }] } },
    aggs: { traces: { cardinality: { field: 'traceID', precision_threshold: 40000 } } },
  });
  return { traces: body.aggregations.traces.value, spans: body.hits.total.value };
});
const logCount = await safely('Elasticsearch', async () => {
  await search.refresh();
  return search.countLogs({ bool: { filter: [{ term: { 'resource.attributes.service.name.keyword': service } }, { range: { '@timestamp': { gte: since * 1000, format: 'epoch_millis' } } }] } });
});
const series = await safely('Prometheus', async () => {
  const q = async (expr) => Number((await prometheus.query(expr))[0]?.value[1] ?? 0);
  return { service: await q(`count({job="${service}"})`), all: await q('count({__name__=~".+"})') };
});

// A trace to follow: the most recent confirmed order, found by its order id like on-call would.
const orderId = traffic.orderIds.at(-1);
const sample = orderId === undefined ? undefined : await safely('Jaeger', async () => {
  // This run only: Jaeger keeps earlier runs' traces, and the shop's order ids restart at 1.
  return (await jaeger.rawSearch({ service, tags: { 'order.id': String(orderId) }, limit: 1, startMillis: since * 1000, endMillis: Date.now() }))[0];
});

const alerts = await safely('Prometheus', () => prometheus.alerts());
// Active, not silenced, not inhibited: what Alertmanager notifies.
const notified = await safely('Alertmanager', () => alertmanager.firingAlerts());

const line = (label, value) => console.log(`  ${label.padEnd(29)} ${value}`);
console.log('\nWhere to look');
line('shop', URLS.shop);
line('shop metrics (Prometheus)', URLS.metrics);
line('Prometheus', `${URLS.prometheus}/graph`);
line('Jaeger (HTTP API)', `${URLS.jaeger}/api/traces?service=${service}&limit=20`);
line('Elasticsearch (logs)', `${URLS.search}/o4o-logs/_search?q=resource.attributes.service.name:${service}`);
line('Alertmanager', `${URLS.alertmanager}/#/alerts`);
line('dashboards', 'dashboards/generated/*.json (import into Grafana with dashboards/provisioning)');

console.log('\nWhat arrived');
line('traffic sent', `${traffic.requests} requests: ${traffic.ordersConfirmed} orders paid, ${traffic.ordersFailed} payments failed, ${traffic.outOfStock} out of stock`);
if (phases.length > 0) {
  console.log(`  ${'by phase'.padEnd(29)} ${'requests'.padStart(8)} ${'confirmed'.padStart(9)} ${'payment failed'.padStart(14)} ${'out of stock'.padStart(12)}`);
  for (const p of phases) {
    console.log(`  ${`  ${p.phase}`.padEnd(29)} ${String(p.requests).padStart(8)} ${String(p.ordersConfirmed).padStart(9)} ${String(p.ordersFailed).padStart(14)} ${String(p.outOfStock).padStart(12)}`);
  }
}
line('traces in Jaeger', traces === undefined ? '?' : `${traces.traces} (${traces.spans} spans)`);
line('log records in Elasticsearch', logCount ?? '?');
line('series in Prometheus', series === undefined ? '?' : `${series.service} from ${service}, ${series.all} in all`);

console.log('\nFollow one order');
if (sample) {
  line('order id', orderId);
  line('trace id', sample.traceID);
  console.log(`\n  pnpm exec o4o-otel trace ${sample.traceID}`);
  console.log(`  pnpm exec o4o-otel find --attr order.id=${orderId}`);
  console.log(`  pnpm exec o4o-otel find --service ${service} --errors --limit 5`);
} else {
  console.log('  (no order was confirmed, or its trace has not arrived yet)');
}

console.log('\nAlerts');
const active = (alerts ?? []).filter((a) => a.state === 'firing' || a.state === 'pending');
if (active.length === 0) console.log('  none firing or pending');
for (const a of active) line(`${a.state} ${a.labels.severity ?? ''}`.trim(), `${a.labels.alertname} ${a.labels.service_name ?? ''} ${a.annotations?.summary ?? ''}`);
if (notified?.length) line('sent by Alertmanager', notified.map((a) => a.name).join(', '));
console.log('\nStop everything with: bash scripts/demo.sh stop\n');
