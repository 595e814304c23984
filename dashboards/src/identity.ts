/**
 * Who sent a series. Services' own metrics are scraped by the collector and
 * arrive as `job="services"` with the endpoint as `instance`; only their
 * `target_info` names the service (`service_name`) and its environment
 * (`deployment_environment_name`). OTLP-borne series (span metrics) have
 * `job` = service.name instead. The recording rule `o4o:target:identity`
 * folds both into one series per (job, instance) with `service` and
 * `environment` labels, and `withIdentity` joins any series onto it.
 */
import { LABELS, SERVICE } from './names';

export const IDENTITY_RULE = 'o4o:target:identity';

/**
 * One series per (job, instance), value 1. A target_info that names the
 * service wins over one that does not (scraped targets have both while an old
 * process's series goes stale); topk keeps the join many-to-one after restarts.
 */
export const IDENTITY_EXPR = `clamp_max(
  topk by (job, instance) (1,
    max by (job, instance, ${LABELS.service}, ${LABELS.environment}) (
      label_replace(
        label_replace(
          label_replace(2 * ${SERVICE.targetInfo}{service_name!=""} or ${SERVICE.targetInfo}{service_name=""}, "${LABELS.service}", "$1", "job", "(.+)"),
          "${LABELS.service}", "$1", "service_name", "(.+)"),
        "${LABELS.environment}", "$1", "deployment_environment_name", "(.+)")
    )
  ),
1)`;

/** `expr` with `service` and `environment` labels added; `selector` filters the identity, e.g. `{service=~"$service"}`. */
export function withIdentity(expr: string, selector = ''): string {
  return `(${expr}) * on (job, instance) group_left (${LABELS.service}, ${LABELS.environment}) ${IDENTITY_RULE}${selector}`;
}
