/**
 * The Helm values for the upstream collector chart, for the gateway
 * (helm-values.yaml), the load-balancing tier (helm-values-loadbalancer.yaml)
 * and the per-node agent (helm-values-agent.yaml):
 * they parse, they run our distribution with our config layers from the mounted
 * ConfigMap, they set every variable those layers require (and only variables
 * they read), the queue directory is a per-pod persistent volume, self-telemetry
 * is bound in the pod and declared for scraping, and the distribution validates
 * exactly those layers with exactly those variables.
 *
 * Not checked here: rendering by the chart itself (`helm template`): neither the
 * chart nor its repository can be fetched from this machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const COLLECTOR = resolve(__dirname, '../../collector');

interface Values {
  mode: string;
  command: { name: string; extraArgs: string[] };
  configMap: { create: boolean; existingName: string };
  extraVolumes: { name: string; configMap?: { name: string }; hostPath?: { path: string; type?: string } }[];
  extraVolumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  extraEnvs: { name: string; value?: string; valueFrom?: unknown }[];
  statefulset?: { volumeClaimTemplates?: { metadata: { name: string } }[] };
  podAnnotations?: Record<string, string>;
  ports: Record<string, { enabled: boolean; containerPort?: number }>;
}

/** Each release: its values file and the config file the ConfigMap's `relay` key holds. */
const RELEASES = [
  { values: 'deploy/helm-values.yaml', relay: 'config/base.yaml', queue: 'claim' },
  { values: 'deploy/helm-values-loadbalancer.yaml', relay: 'config/loadbalancer.yaml', queue: 'claim' },
  { values: 'deploy/helm-values-agent.yaml', relay: 'config/agent.yaml', queue: 'node' },
] as const;

/** `${env:VAR}` references without a `:-default`: the deployment must set them. */
const requiredVariables = (config: string): string[] => [...config.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
const allVariables = (config: string): string[] => [...config.matchAll(/\$\{env:([A-Z0-9_]+)/g)].map((m) => m[1]!);

describe.each(RELEASES)('collector Helm values $values', ({ values: valuesFile, relay, queue }) => {
  const values = parse(readFileSync(join(COLLECTOR, valuesFile), 'utf8')) as Values;
  const configVolume = values.extraVolumes.find((v) => v.configMap?.name === values.configMap.existingName);
  const configMount = values.extraVolumeMounts.find((m) => m.name === configVolume?.name);
  /** The config files in the order the collector reads them: the chart's relay.yaml first, then our --config args. */
  const layers = [
    join(COLLECTOR, relay),
    ...values.command.extraArgs.filter((a) => a.startsWith('--config=')).map((a) => join(COLLECTOR, 'config', a.slice(a.lastIndexOf('/') + 1))),
  ];
  const configs = layers.map((file) => readFileSync(file, 'utf8'));
  const env = (name: string): string | undefined => values.extraEnvs.find((e) => e.name === name)?.value;

  test('run o4o-otelcol with our layers from the mounted ConfigMap', () => {
    expect(values.command.name).toBe('o4o-otelcol');
    expect(values.configMap.create).toBe(false);
    expect(configMount).toBeDefined();
    for (const arg of values.command.extraArgs) expect(arg.startsWith(`--config=${configMount!.mountPath}/`)).toBe(true);
    // The chart's relay.yaml is a layer of its own; the tiers built on base.yaml add theirs as --config args.
    expect(configMount!.mountPath).toBe('/etc/o4o-otelcol');
    if (relay === 'config/base.yaml' || relay === 'config/loadbalancer.yaml') expect(layers.length).toBeGreaterThan(1);
  });

  test('set every variable the config layers require, and only variables they read', () => {
    const set = new Set(values.extraEnvs.map((e) => e.name));
    for (const name of configs.flatMap(requiredVariables)) expect(set).toContain(name);
    const read = new Set(configs.flatMap(allVariables));
    for (const name of set) {
      if (name.startsWith('O4O_')) expect(read).toContain(name);
    }
  });

  test('the queue directory outlives the pod: a per-pod claim (StatefulSet), or a directory on the node (DaemonSet)', () => {
    const queueMount = values.extraVolumeMounts.find((m) => m.mountPath === env('O4O_QUEUE_DIR'));
    expect(queueMount).toBeDefined();
    if (queue === 'claim') {
      expect(values.mode).toBe('statefulset');
      const claims = (values.statefulset?.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
      expect(claims).toContain(queueMount!.name);
      // Not also an emptyDir or other volume of the same name.
      expect(values.extraVolumes.map((v) => v.name)).not.toContain(queueMount!.name);
    } else {
      expect(values.mode).toBe('daemonset');
      expect(values.extraVolumes.find((v) => v.name === queueMount!.name)?.hostPath?.path).toMatch(/^\/var\/lib\//);
    }
  });

  test('self-telemetry is bound in the pod, its port declared and annotated for scraping', () => {
    expect(env('O4O_COLLECTOR_TELEMETRY_HOST')).toBe('0.0.0.0');
    const port = Number(values.podAnnotations?.['prometheus.io/port']);
    expect(values.podAnnotations?.['prometheus.io/scrape']).toBe('true');
    expect(Object.values(values.ports).some((p) => p.enabled && p.containerPort === port)).toBe(true);
    expect(configs.join('\n')).toMatch(new RegExp(`port: \\$\\{env:O4O_COLLECTOR_TELEMETRY_PORT:-${port}\\}`));
  });

  test('TLS and token files are mounted where the variables point', () => {
    for (const name of ['O4O_TLS_CERT_FILE', 'O4O_TLS_KEY_FILE', 'O4O_INGEST_TOKEN_FILE']) {
      const file = env(name);
      expect(file).toBeDefined();
      expect(values.extraVolumeMounts.some((m) => file!.startsWith(`${m.mountPath}/`) && m.name !== configVolume?.name)).toBe(true);
    }
  });

  test('the distribution validates those layers with those variables', () => {
    const binary = execFileSync('bash', [join(COLLECTOR, 'build.sh'), '--print-path'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const scratch = mkdtempSync(join(tmpdir(), 'o4o-helm-'));
    try {
      const processEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
      for (const e of values.extraEnvs) if (e.value !== undefined) processEnv[e.name] = e.value.replace(/\$\([A-Z0-9_]+\)/g, 'x');
      processEnv.O4O_QUEUE_DIR = join(scratch, 'queue'); // the pod's volume, here a scratch folder
      processEnv.O4O_HOST_ROOT = '/';
      execFileSync(binary, ['validate', ...layers.map((l) => `--config=${l}`)], { env: processEnv, stdio: 'pipe' });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('the agent', () => {
  const values = parse(readFileSync(join(COLLECTOR, 'deploy/helm-values-agent.yaml'), 'utf8')) as Values & { ports: Record<string, { hostPort?: number }> };
  const env = (name: string) => values.extraEnvs.find((e) => e.name === name);

  test("reads the node's filesystems read-only where host metrics look for them", () => {
    const root = env('O4O_HOST_ROOT')?.value;
    const mount = values.extraVolumeMounts.find((m) => m.mountPath === root);
    expect(mount?.readOnly).toBe(true);
    expect(values.extraVolumes.find((v) => v.name === mount!.name)?.hostPath?.path).toBe('/');
  });

  test('names its host metrics after the node, and listens on the node for its services', () => {
    expect(env('K8S_NODE_NAME')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(env('OTEL_RESOURCE_ATTRIBUTES')?.value).toBe('host.name=$(K8S_NODE_NAME)');
    expect(values.ports['otlp-http']?.hostPort).toBe(4318);
    const config = readFileSync(join(COLLECTOR, 'config/agent.yaml'), 'utf8');
    expect(config).toContain('detectors: [env, system]');
  });
});
