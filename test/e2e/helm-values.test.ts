/**
 * The o4o-otelcol chart (collector/deploy/chart) with the values file of each
 * tier (collector/deploy/values-{gateway,loadbalancer,agent}.yaml), rendered by
 * the pinned Helm CLI (`helm template`, after `helm lint --strict`) and checked
 * as Kubernetes would run it:
 * - the workload kinds: StatefulSet + ClusterIP and headless Services + PDB for
 *   the gateway and the load-balancing tier, DaemonSet for the agent;
 * - the container runs `o4o-otelcol` with the tier's layers from the chart's
 *   ConfigMap, whose data are the files in collector/config, byte for byte;
 * - the env sets every variable those layers require, and only O4O_ variables
 *   they read;
 * - the queue directory is a per-pod volumeClaimTemplate (StatefulSets) or a
 *   directory on the node (agent);
 * - every file variable of the layers points into a mounted Secret;
 * - self-telemetry is bound on the pod IP, its port declared and annotated;
 *   the probes hit health_check's port;
 * - the tiers find each other: the load balancer's O4O_GATEWAY_DNS_NAME is the
 *   gateways' headless Service, the agent's endpoints the other tiers' Services;
 * - the distribution itself validates exactly the rendered layers with exactly
 *   the rendered environment.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const COLLECTOR = resolve(__dirname, '../../collector');
const CHART = join(COLLECTOR, 'deploy/chart');
const NAMESPACE = 'observability';
/** The ports the chart declares and tells the collector (no tier's values file overrides them). */
const CHART_PORTS = (parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { ports: { otlpGrpc: number; otlpHttp: number; telemetry: number; healthCheck: number } }).ports;
/** A cold Helm build (Go modules and compile) takes minutes on 2 cores. */
const HELM_BUILD_TIMEOUT_MS = 15 * 60_000;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}
interface Container {
  name: string;
  command: string[];
  args?: string[];
  env: EnvVar[];
  ports: { name: string; containerPort: number; hostPort?: number }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean; mountPropagation?: string }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { limits?: { memory?: string } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
  hostPath?: { path: string; type?: string };
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    serviceAccountName: string;
    automountServiceAccountToken?: boolean;
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; fsGroup?: number };
    containers: Container[];
    volumes: Volume[];
  };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace: string }[];
  spec?: {
    // StatefulSet, DaemonSet
    serviceName?: string;
    selector?: { matchLabels: Record<string, string> } | Record<string, string>;
    template?: PodTemplate;
    volumeClaimTemplates?: { metadata: { name: string }; spec: { resources: { requests: { storage: string } } } }[];
    // Service
    clusterIP?: string;
    ports?: { name: string; port: number }[];
    // PodDisruptionBudget
    minAvailable?: number;
    // HorizontalPodAutoscaler
    scaleTargetRef?: { kind: string; name: string };
  };
}

type TierName = 'gateway' | 'loadbalancer' | 'agent';
interface Tier {
  tier: TierName;
  release: string;
  values: string;
  layers: string[];
}
const TIERS: Tier[] = [
  { tier: 'gateway', release: 'o4o-gateway', values: 'deploy/values-gateway.yaml', layers: ['base.yaml', 'production.yaml', 'sampling.yaml'] },
  { tier: 'loadbalancer', release: 'o4o-loadbalancer', values: 'deploy/values-loadbalancer.yaml', layers: ['loadbalancer.yaml', 'loadbalancer-dns.yaml'] },
  { tier: 'agent', release: 'o4o-agent', values: 'deploy/values-agent.yaml', layers: ['agent.yaml'] },
];

/** `${env:VAR}` references without a `:-default`: the deployment must set them. */
const requiredVariables = (config: string): string[] => [...config.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
const allVariables = (config: string): string[] => [...config.matchAll(/\$\{env:([A-Z0-9_]+)/g)].map((m) => m[1]!);
/** Each `${env:VAR:-default}` reference as [VAR, default]. */
const defaults = (config: string): [string, string][] => [...config.matchAll(/\$\{env:([A-Z0-9_]+):-([^}]*)\}/g)].map((m) => [m[1]!, m[2]!]);

/** Kubernetes quantities and Go's GOMEMLIMIT, in bytes. */
const bytes = (quantity: string): number => {
  const m = /^(\d+)(Ki|Mi|Gi|KiB|MiB|GiB)?$/.exec(quantity);
  if (!m) throw new Error(`unexpected memory quantity ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2]?.slice(0, 2) as 'Ki' | 'Mi' | 'Gi'] ?? 1;
  return Number(m[1]) * unit;
};

let helmBinary: string | undefined;
/** The pinned Helm CLI, built on first use (cached under $O4O_CACHE). */
const helm = (): string => {
  helmBinary ??= execFileSync('bash', [join(COLLECTOR, 'deploy/helm.sh'), '--print-path'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .pop()!;
  return helmBinary;
};
const runHelm = (args: string[]): string =>
  // stderr carries Helm's note that config/ is a link to collector/config.
  execFileSync(helm(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });

const rendered = new Map<TierName, Manifest[]>();
const render = ({ tier, release, values }: Tier): Manifest[] => {
  if (!rendered.has(tier)) {
    const out = runHelm(['template', release, CHART, '--namespace', NAMESPACE, '-f', join(COLLECTOR, values)]);
    rendered.set(
      tier,
      parseAllDocuments(out)
        .map((doc) => doc.toJS() as Manifest | null)
        .filter((m): m is Manifest => m !== null),
    );
  }
  return rendered.get(tier)!;
};
const ofKind = (manifests: Manifest[], kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);
const one = (manifests: Manifest[], kind: string): Manifest => {
  const found = ofKind(manifests, kind);
  expect(found.map((m) => m.kind)).toEqual([kind]);
  return found[0]!;
};
const tierByName = (name: TierName): Tier => TIERS.find((t) => t.tier === name)!;
const workloadOf = (manifests: Manifest[]): Manifest => manifests.find((m) => m.kind === 'StatefulSet' || m.kind === 'DaemonSet')!;
const containerOf = (manifests: Manifest[]): Container => workloadOf(manifests).spec!.template!.spec.containers[0]!;
const envOf = (manifests: Manifest[], name: string): EnvVar | undefined => containerOf(manifests).env.find((e) => e.name === name);
/** The Services of a StatefulSet tier: the ClusterIP one and the headless one. */
const servicesOf = (manifests: Manifest[]): { service: Manifest; headless: Manifest } => {
  const services = ofKind(manifests, 'Service');
  return { service: services.find((s) => s.spec?.clusterIP !== 'None')!, headless: services.find((s) => s.spec?.clusterIP === 'None')! };
};

beforeAll(() => {
  helm();
}, HELM_BUILD_TIMEOUT_MS);

describe.each(TIERS)('collector chart, tier $tier ($values)', (tier) => {
  const statefulSet = tier.tier !== 'agent';
  let manifests: Manifest[];
  let workload: Manifest;
  let pod: PodTemplate;
  let container: Container;
  /** The layers the pod reads, from the rendered ConfigMap, in command order. */
  let layerNames: string[];
  let configs: string[];
  const env = (name: string): string | undefined => container.env.find((e) => e.name === name)?.value;
  const mountOf = (file: string) => container.volumeMounts.find((m) => file.startsWith(`${m.mountPath}/`));

  beforeAll(() => {
    manifests = render(tier);
    workload = workloadOf(manifests);
    pod = workload.spec!.template!;
    container = pod.spec.containers[0]!;
    const configMap = one(manifests, 'ConfigMap');
    const configMount = container.volumeMounts.find((m) => pod.spec.volumes.find((v) => v.name === m.name)?.configMap?.name === configMap.metadata.name)!;
    layerNames = container.command.slice(1).map((arg) => arg.replace(`--config=${configMount.mountPath}/`, ''));
    configs = layerNames.map((name) => configMap.data![name]!);
  });

  test('helm lint --strict passes', () => {
    expect(() => runHelm(['lint', CHART, '--strict', '--namespace', NAMESPACE, '-f', join(COLLECTOR, tier.values)])).not.toThrow();
  });

  test(statefulSet ? 'renders a StatefulSet, its ClusterIP and headless Services and a PodDisruptionBudget' : 'renders a DaemonSet and no Service', () => {
    const selector = (m: Manifest) => (m.spec?.selector && 'matchLabels' in m.spec.selector ? m.spec.selector.matchLabels : m.spec?.selector) as Record<string, string>;
    const selects = (labels: Record<string, string>) => expect(pod.metadata.labels).toMatchObject(labels);
    if (statefulSet) {
      expect(workload.kind).toBe('StatefulSet');
      expect(ofKind(manifests, 'DaemonSet')).toHaveLength(0);
      const { service, headless } = servicesOf(manifests);
      expect(ofKind(manifests, 'Service')).toHaveLength(2);
      expect(service.metadata.name).toBe(tier.release);
      // The StatefulSet's pods get their DNS records from the headless Service.
      expect(workload.spec!.serviceName).toBe(headless.metadata.name);
      for (const s of [service, headless]) {
        selects(selector(s));
        expect(s.spec!.ports!.find((p) => p.name === 'otlp-grpc')?.port).toBe(CHART_PORTS.otlpGrpc);
      }
      const pdb = one(manifests, 'PodDisruptionBudget');
      expect(pdb.spec!.minAvailable).toBeGreaterThanOrEqual(1);
      selects(selector(pdb));
    } else {
      expect(workload.kind).toBe('DaemonSet');
      expect(ofKind(manifests, 'StatefulSet')).toHaveLength(0);
      expect(ofKind(manifests, 'Service')).toHaveLength(0);
      expect(ofKind(manifests, 'PodDisruptionBudget')).toHaveLength(0);
    }
    selects(selector(workload));
  });

  test("runs o4o-otelcol with the tier's layers from the chart's ConfigMap, identical to collector/config", () => {
    expect(container.command[0]).toBe('o4o-otelcol');
    expect(container.args ?? []).toEqual([]);
    for (const arg of container.command.slice(1)) expect(arg).toMatch(/^--config=\/etc\/o4o-otelcol\/config\/[a-z-]+\.yaml$/);
    expect(layerNames).toEqual(tier.layers);
    expect(Object.keys(one(manifests, 'ConfigMap').data!).sort()).toEqual([...tier.layers].sort());
    layerNames.forEach((name, i) => expect(configs[i]).toBe(readFileSync(join(COLLECTOR, 'config', name), 'utf8')));
  });

  test('sets every variable the layers require, and only O4O_ variables they read', () => {
    const names = container.env.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of configs.flatMap(requiredVariables)) expect(names).toContain(name);
    const read = new Set(configs.flatMap(allVariables));
    for (const name of names.filter((n) => n.startsWith('O4O_'))) expect(read).toContain(name);
  });

  test(statefulSet ? 'keeps the queue on a volume of its own per pod (volumeClaimTemplate)' : 'keeps the queue in a directory on the node (hostPath)', () => {
    const queueDir = env('O4O_QUEUE_DIR');
    expect(queueDir).toBe('/var/lib/o4o-otelcol/queue');
    const mount = container.volumeMounts.find((m) => m.mountPath === queueDir)!;
    expect(mount).toBeDefined();
    expect(mount.readOnly).toBeFalsy();
    const podVolume = pod.spec.volumes.find((v) => v.name === mount.name);
    if (statefulSet) {
      const claim = workload.spec!.volumeClaimTemplates!.find((t) => t.metadata.name === mount.name);
      expect(claim?.spec.resources.requests.storage).toBe('10Gi');
      // Not shadowed by a pod volume of the same name (an emptyDir would lose the queue).
      expect(podVolume).toBeUndefined();
    } else {
      expect(podVolume?.hostPath).toEqual({ path: '/var/lib/o4o-otelcol-agent/queue', type: 'DirectoryOrCreate' });
    }
  });

  test('mounts a Secret wherever a file variable of the layers points', () => {
    const secretMount = (file: string) => {
      const mount = mountOf(file);
      return mount && pod.spec.volumes.find((v) => v.name === mount.name)?.secret ? mount : undefined;
    };
    // What the values set, and what the layers fall back to when they do not.
    const files = new Map<string, string>();
    for (const [name, fallback] of configs.flatMap(defaults)) if (name.endsWith('_FILE') && fallback) files.set(name, fallback);
    for (const e of container.env) if (e.name.endsWith('_FILE') && e.value) files.set(e.name, e.value);
    for (const name of ['O4O_TLS_CERT_FILE', 'O4O_TLS_KEY_FILE', 'O4O_TLS_CA_FILE', 'O4O_INGEST_TOKEN_FILE']) expect(env(name)).toBeDefined();
    expect(files.size).toBeGreaterThanOrEqual(4);
    for (const [name, file] of files) {
      expect([name, file, secretMount(file)?.readOnly]).toEqual([name, file, true]);
    }
  });

  test('binds self-telemetry on the pod IP, declares its port and annotates the pod for scraping', () => {
    expect(env('O4O_COLLECTOR_TELEMETRY_HOST')).toBe('0.0.0.0');
    const annotations = pod.metadata.annotations ?? {};
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(annotations['prometheus.io/path']).toBe('/metrics');
    const port = Number(annotations['prometheus.io/port']);
    expect(container.ports.find((p) => p.containerPort === port)?.name).toBe('telemetry');
    expect(env('O4O_COLLECTOR_TELEMETRY_PORT')).toBe(String(port));
    expect(port).toBe(CHART_PORTS.telemetry);
    expect(configs.join('\n')).toMatch(/port: \$\{env:O4O_COLLECTOR_TELEMETRY_PORT[:}]/);
  });

  test('probes health_check on the port it listens on', () => {
    const healthPort = Number(env('O4O_HEALTH_CHECK_ENDPOINT')!.split(':').pop());
    expect(healthPort).toBe(CHART_PORTS.healthCheck);
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      const port = probe?.httpGet?.port;
      const resolved = typeof port === 'number' ? port : container.ports.find((p) => p.name === port)?.containerPort;
      expect(resolved).toBe(healthPort);
    }
    expect(configs.join('\n')).toContain('endpoint: ${env:O4O_HEALTH_CHECK_ENDPOINT:-');
  });

  test('limits memory, with GOMEMLIMIT at most 80 % of the limit, and runs with a read-only root filesystem', () => {
    const limit = bytes(container.resources!.limits!.memory!);
    expect(bytes(env('GOMEMLIMIT')!)).toBeLessThanOrEqual(0.8 * limit);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    // The agent owns its root-created hostPath queue as uid 0 (see values-agent.yaml); the others run as non-root.
    if (statefulSet) expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 10001 });
    else expect(pod.spec.securityContext?.runAsUser).toBe(0);
  });

  test('the distribution validates exactly the rendered layers with exactly the rendered environment', () => {
    const binary = execFileSync('bash', [join(COLLECTOR, 'build.sh'), '--print-path'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const scratch = mkdtempSync(join(tmpdir(), 'o4o-helm-'));
    try {
      // The ConfigMap as the pod sees it.
      mkdirSync(join(scratch, 'config'));
      layerNames.forEach((name, i) => writeFileSync(join(scratch, 'config', name), configs[i]!));
      // The env as the kubelet builds it: $(NAME) expands earlier entries; the Downward API gives the pod's fields.
      const downward: Record<string, string> = { 'metadata.name': `${tier.release}-0`, 'metadata.namespace': NAMESPACE, 'spec.nodeName': 'node-1' };
      const processEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
      for (const e of container.env) {
        const value = e.valueFrom?.fieldRef ? downward[e.valueFrom.fieldRef.fieldPath] : e.value;
        expect([e.name, value]).toEqual([e.name, expect.any(String)]);
        processEnv[e.name] = value!.replace(/\$\(([A-Za-z0-9_]+)\)/g, (ref, name: string) => processEnv[name] ?? ref);
      }
      // The pod's volumes, here scratch folders: file_storage creates its directory while validating.
      processEnv.O4O_QUEUE_DIR = join(scratch, 'queue');
      if (processEnv.O4O_HOST_ROOT !== undefined) processEnv.O4O_HOST_ROOT = '/';
      const args = container.command.slice(1).map((arg) => arg.replace('=/etc/o4o-otelcol/config/', `=${scratch}/config/`));
      execFileSync(binary, ['validate', ...args], { env: processEnv, stdio: 'pipe' });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('the tiers find each other', () => {
  test("the load-balancing tier resolves the gateways' headless Service, on its OTLP/gRPC port", () => {
    const gateway = render(tierByName('gateway'));
    const loadbalancer = render(tierByName('loadbalancer'));
    const { headless } = servicesOf(gateway);
    expect(envOf(loadbalancer, 'O4O_GATEWAY_DNS_NAME')?.value).toBe(`${headless.metadata.name}.${NAMESPACE}.svc.cluster.local`);
    const resolverPort = /port: "(\d+)"/.exec(readFileSync(join(COLLECTOR, 'config/loadbalancer-dns.yaml'), 'utf8'))?.[1];
    expect(headless.spec!.ports!.map((p) => String(p.port))).toContain(resolverPort);
    // The fallback in the layer names the same Service, for a release installed as in the README.
    expect(readFileSync(join(COLLECTOR, 'config/loadbalancer-dns.yaml'), 'utf8')).toContain(`O4O_GATEWAY_DNS_NAME:-${headless.metadata.name}.${NAMESPACE}.svc.cluster.local}`);
  });

  test("the agent sends to the load-balancing tier's and the gateways' Services", () => {
    const agent = render(tierByName('agent'));
    for (const [variable, tier] of [
      ['O4O_LOADBALANCER_ENDPOINT', 'loadbalancer'],
      ['O4O_GATEWAY_ENDPOINT', 'gateway'],
    ] as const) {
      const { service } = servicesOf(render(tierByName(tier)));
      const grpc = service.spec!.ports!.find((p) => p.name === 'otlp-grpc')!;
      expect(envOf(agent, variable)?.value).toBe(`${service.metadata.name}.${NAMESPACE}.svc.cluster.local:${grpc.port}`);
    }
  });
});

describe('the agent', () => {
  let manifests: Manifest[];
  let container: Container;
  let volumes: Volume[];
  beforeAll(() => {
    manifests = render(tierByName('agent'));
    container = containerOf(manifests);
    volumes = workloadOf(manifests).spec!.template!.spec.volumes;
  });

  test("reads the node's filesystems read-only where host metrics look for them", () => {
    const root = envOf(manifests, 'O4O_HOST_ROOT')?.value;
    expect(root).toBe('/hostfs');
    const mount = container.volumeMounts.find((m) => m.mountPath === root);
    expect(mount).toMatchObject({ readOnly: true, mountPropagation: 'HostToContainer' });
    expect(volumes.find((v) => v.name === mount!.name)?.hostPath?.path).toBe('/');
  });

  test('names its host metrics after the node, and listens on the node for its services', () => {
    expect(envOf(manifests, 'K8S_NODE_NAME')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(envOf(manifests, 'OTEL_RESOURCE_ATTRIBUTES')?.value).toBe('host.name=$(K8S_NODE_NAME)');
    expect(container.ports.filter((p) => p.hostPort !== undefined).map((p) => [p.containerPort, p.hostPort])).toEqual([
      [CHART_PORTS.otlpGrpc, CHART_PORTS.otlpGrpc],
      [CHART_PORTS.otlpHttp, CHART_PORTS.otlpHttp],
    ]);
    expect(readFileSync(join(COLLECTOR, 'config/agent.yaml'), 'utf8')).toContain('detectors: [env, system]');
  });
});

describe('the gateway', () => {
  let manifests: Manifest[];
  beforeAll(() => {
    manifests = render(tierByName('gateway'));
  });

  test('labels its span metrics with its pod name', () => {
    expect(envOf(manifests, 'O4O_COLLECTOR_NAME')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
  });

  test('may list and watch pods for its pod discovery, through the service account its pods use', () => {
    const pod = workloadOf(manifests).spec!.template!.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    const role = one(manifests, 'ClusterRole');
    expect(role.rules!.some((r) => r.resources.includes('pods') && ['list', 'watch'].every((v) => r.verbs.includes(v)))).toBe(true);
    const binding = one(manifests, 'ClusterRoleBinding');
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: NAMESPACE }]);
    expect(one(manifests, 'ServiceAccount').metadata.name).toBe(pod.serviceAccountName);
  });

  test('scales on CPU, which sets the replica count instead of the StatefulSet', () => {
    const hpa = one(manifests, 'HorizontalPodAutoscaler');
    const workload = workloadOf(manifests);
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: 'StatefulSet', name: workload.metadata.name });
    expect((workload.spec as { replicas?: number }).replicas).toBeUndefined();
  });
});
