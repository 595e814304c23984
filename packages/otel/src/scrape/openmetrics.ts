/**
 * The OpenMetrics 1.0 text exposition of a collection, for scrapers that ask
 * for it: the same metric families, names, labels and values as the Prometheus
 * text that @opentelemetry/exporter-prometheus writes for our configuration (no
 * prefix, no scope labels, `target_info`), plus what only OpenMetrics carries:
 * one exemplar per histogram bucket (`# {trace_id="…",span_id="…"} value
 * timestamp`). What the format demands differently:
 *
 * - a counter's family is named without `_total`; its sample keeps it;
 * - `# UNIT` is written only when the family name ends in `_<unit>`
 *   (`http_server_request_duration` with unit `s` does not, and a parser rejects
 *   the whole scrape for it), so the families keep their names;
 * - `le` values are canonical numbers (`1.0`, `0.005`, `1e-05`, `+Inf`);
 * - histogram buckets come before `_count` and `_sum`; `# EOF` ends it.
 */
import { DataPointType, type DataPoint, type Histogram, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import { exemplarsOf } from '../hot-metrics/exemplar-points';
import type { Exemplar } from '../hot-metrics/hot-histogram';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

type FamilyType = 'counter' | 'gauge' | 'histogram' | 'unknown';

interface Family {
  /** The family name in `# TYPE`: the text format's name less a counter's `_total`. */
  readonly name: string;
  /** Sample name of a counter or gauge (`_total` kept); a histogram's samples add their suffixes to `name`. */
  readonly sampleName: string;
  readonly type: FamilyType;
  help: string;
  unit: string;
  readonly metrics: MetricData[];
  dropped: boolean;
}

const INVALID_NAME_CHARACTERS = /[^a-z0-9_]/gi;
const REPEATED_UNDERSCORES = /_{2,}/g;

/** The exporter's name rules: invalid characters to `_`, runs of `_` folded, a leading digit prefixed with `_`. */
function prometheusName(name: string): string | undefined {
  const sanitized = name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(INVALID_NAME_CHARACTERS, '_').replace(REPEATED_UNDERSCORES, '_');
  if (sanitized === '' || sanitized === '_') return undefined;
  return sanitized[0]! >= '0' && sanitized[0]! <= '9' ? `_${sanitized}` : sanitized;
}

function labelName(key: string): string {
  return key.replace(INVALID_NAME_CHARACTERS, '_').replace(REPEATED_UNDERSCORES, '_');
}

/** Label values and help text: backslash, line feed and double quote escaped. */
function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(attributes: Attributes, extra?: string): string {
  let text = '';
  for (const [key, value] of Object.entries(attributes)) {
    text += `${text === '' ? '' : ','}${labelName(key)}="${escape(typeof value === 'string' ? value : JSON.stringify(value))}"`;
  }
  if (extra !== undefined) text += `${text === '' ? '' : ','}${extra}`;
  return text === '' ? '' : `{${text}}`;
}

function number(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/**
 * Go's `%g` with `.0` appended when it has neither point nor exponent: the
 * rendering OpenMetrics asks for `le` values ("Canonical Numbers").
 */
export function canonicalNumber(value: number): string {
  if (!Number.isFinite(value)) return number(value);
  if (value === 0) return '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = String(value);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

function exemplarText(exemplar: Exemplar | undefined): string {
  if (exemplar === undefined) return '';
  return ` # {trace_id="${exemplar.traceId}",span_id="${exemplar.spanId}"} ${number(exemplar.value)} ${(exemplar.timeMillis / 1000).toFixed(3)}`;
}

function familyType(metric: MetricData): FamilyType {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return 'unknown';
  }
}

/** Families keyed by the name the text format gives them, merged across scopes as the exporter merges them. */
function collectFamilies(resourceMetrics: ResourceMetrics): Map<string, Family> {
  const families = new Map<string, Family>();
  for (const { metrics } of resourceMetrics.scopeMetrics) {
    for (const metric of metrics) {
      const base = prometheusName(metric.descriptor.name);
      if (base === undefined) continue;
      const type = familyType(metric);
      const textName = type === 'counter' && !base.endsWith('_total') ? `${base}_total` : base;
      const family = families.get(textName);
      if (family === undefined) {
        const name = type === 'counter' ? textName.slice(0, -'_total'.length) : textName;
        families.set(textName, { name, sampleName: textName, type, help: '', unit: '', metrics: [metric], dropped: false });
      } else if (family.type !== type) {
        // As the exporter: a family of two types is dropped whole (it warns once).
        family.dropped = true;
      } else {
        family.metrics.push(metric);
      }
    }
  }
  for (const family of families.values()) {
    for (const { descriptor } of family.metrics) {
      if (family.help === '' && descriptor.description) family.help = descriptor.description;
      if (family.unit === '' && descriptor.unit) family.unit = descriptor.unit;
    }
  }
  return families;
}

function histogramSamples(name: string, point: DataPoint<Histogram>): string {
  const { buckets, count, sum } = point.value;
  const exemplars = exemplarsOf(point);
  let text = '';
  let cumulative = 0;
  for (let i = 0; i < buckets.counts.length; i++) {
    cumulative += buckets.counts[i]!;
    const bound = buckets.boundaries[i];
    const le = bound === undefined || bound === Infinity ? '+Inf' : canonicalNumber(bound);
    text += `${name}_bucket${labels(point.attributes, `le="${le}"`)} ${cumulative}${exemplarText(exemplars?.[i])}\n`;
    if (le === '+Inf') break;
  }
  text += `${name}_count${labels(point.attributes)} ${count}\n`;
  if (sum !== undefined) text += `${name}_sum${labels(point.attributes)} ${number(sum)}\n`;
  return text;
}

function familyText(family: Family): string {
  let text = `# TYPE ${family.name} ${family.type}\n`;
  const unit = prometheusName(family.unit);
  if (unit !== undefined && family.name.endsWith(`_${unit}`)) text += `# UNIT ${family.name} ${unit}\n`;
  text += `# HELP ${family.name} ${escape(family.help || 'description missing')}\n`;
  for (const metric of family.metrics) {
    if (metric.dataPointType === DataPointType.HISTOGRAM) {
      for (const point of metric.dataPoints) text += histogramSamples(family.name, point);
    } else if (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.GAUGE) {
      for (const point of metric.dataPoints) text += `${family.sampleName}${labels(point.attributes)} ${number(point.value)}\n`;
    }
  }
  return text;
}

export function serializeOpenMetrics(resourceMetrics: ResourceMetrics): string {
  let text = `# TYPE target_info gauge\n# HELP target_info Target metadata\ntarget_info${labels(resourceMetrics.resource.attributes)} 1\n`;
  for (const family of collectFamilies(resourceMetrics).values()) {
    if (family.dropped || family.name === 'target_info' || family.type === 'unknown') continue;
    text += familyText(family);
  }
  return `${text}# EOF\n`;
}
