/**
 * Who sent a series. Services' own metrics are scraped by the collector and
 * arrive as `job="services"` with the endpoint as `instance`; only their
 * `target_info` names the service (`service_name`) and its environment
 * (`deployment_environment_name`). OTLP-borne series (span metrics) have
 * `job` = service.name and a `service_name` label. The recording rule
 * `o4o:target:identity` folds both into one series per (job, instance) with
 * `service_name` and `deployment_environment_name`, and `withIdentity` joins
 * any series onto it, so every rule and panel names services the same way.
 */
import { LABELS, SERVICE } from './names';

export const IDENTITY_RULE = 'o4o:target:identity';

/**
 * One series per (job, instance), value 1. The ranking inside topk picks the
 * newest target_info (by sample timestamp: a restarted or renamed service on
 * the same endpoint replaces the old one at once, not after 5 minutes of
 * staleness), and prefers one that names the service (scraped endpoints also
 * have a bare target_info of the scrape itself) by a bonus larger than any
 * timestamp. A target_info without a service name falls back to `job`, which
 * is service.name for OTLP-borne series.
 */
export const IDENTITY_EXPR = `clamp_max(
  topk by (job, instance) (1,
    max by (job, instance, ${LABELS.service}, ${LABELS.environment}) (
      timestamp(${SERVICE.targetInfo}{${LABELS.service}!=""}) + 1e10
      or
      label_replace(timestamp(${SERVICE.targetInfo}{${LABELS.service}=""}), "${LABELS.service}", "$1", "job", "(.+)")
    )
  ),
1)`;

/** `expr` with `service_name` and `deployment_environment_name` added; `selector` filters the identity, e.g. `{service_name=~"$service"}`. */
export function withIdentity(expr: string, selector = ''): string {
  return `(${expr}) * on (job, instance) group_left (${LABELS.service}, ${LABELS.environment}) ${IDENTITY_RULE}${selector}`;
}
