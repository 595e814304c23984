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
 * One series per (job, instance), value 1. A target_info that names the
 * service wins over one that does not (scraped targets have both while an old
 * process's series goes stale), and one without a service name falls back to
 * `job`, which is service.name for OTLP-borne series. topk keeps the join
 * many-to-one after restarts.
 */
export const IDENTITY_EXPR = `clamp_max(
  topk by (job, instance) (1,
    max by (job, instance, ${LABELS.service}, ${LABELS.environment}) (
      2 * ${SERVICE.targetInfo}{${LABELS.service}!=""}
      or
      label_replace(${SERVICE.targetInfo}{${LABELS.service}=""}, "${LABELS.service}", "$1", "job", "(.+)")
    )
  ),
1)`;

/** `expr` with `service_name` and `deployment_environment_name` added; `selector` filters the identity, e.g. `{service_name=~"$service"}`. */
export function withIdentity(expr: string, selector = ''): string {
  return `(${expr}) * on (job, instance) group_left (${LABELS.service}, ${LABELS.environment}) ${IDENTITY_RULE}${selector}`;
}
