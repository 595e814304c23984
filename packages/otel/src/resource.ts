/**
 * The resource that identifies this process. Built from the configuration and a
 * few cheap facts; no detectors, because the upstream ones look up cloud metadata
 * hosts at startup and the process detector copies command lines, which can hold
 * secrets.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { O4oConfig } from './config';
import { DISTRIBUTION_NAME, DISTRIBUTION_VERSION } from './version';

export function createResource(config: O4oConfig): Resource {
  return resourceFromAttributes({
    'service.instance.id': randomUUID(),
    'host.name': hostname(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.distro.name': DISTRIBUTION_NAME,
    'telemetry.distro.version': DISTRIBUTION_VERSION,
    ...config.resourceAttributes,
  });
}
