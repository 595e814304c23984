/**
 * The Helm values for the upstream collector chart: they parse, they run our
 * distribution with our two config layers from the mounted ConfigMap, they set
 * every variable the production layer needs, and the distribution validates the
 * layers with exactly those variables.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const COLLECTOR = resolve(__dirname, '../../collector');
const values = parse(readFileSync(join(COLLECTOR, 'deploy/helm-values.yaml'), 'utf8')) as {
  command: { name: string; extraArgs: string[] };
  configMap: { create: boolean; existingName: string };
  extraVolumes: { name: string; configMap?: { name: string } }[];
  extraVolumeMounts: { name: string; mountPath: string }[];
  extraEnvs: { name: string; value?: string }[];
};
const production = readFileSync(join(COLLECTOR, 'config/production.yaml'), 'utf8');
const base = readFileSync(join(COLLECTOR, 'config/base.yaml'), 'utf8');

/** `${env:VAR}` references without a `:-default`: the deployment must set them. */
const requiredVariables = (config: string): string[] => [...config.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((m) => m[1]!);
const allVariables = (config: string): string[] => [...config.matchAll(/\$\{env:([A-Z0-9_]+)/g)].map((m) => m[1]!);

describe('collector Helm values', () => {
  test('run o4o-otelcol with the production layer from the mounted ConfigMap', () => {
    expect(values.command.name).toBe('o4o-otelcol');
    expect(values.configMap).toEqual({ create: false, existingName: 'o4o-otelcol-config' });
    const volume = values.extraVolumes.find((v) => v.configMap?.name === values.configMap.existingName);
    expect(volume).toBeDefined();
    const mount = values.extraVolumeMounts.find((m) => m.name === volume!.name)!;
    expect(values.command.extraArgs).toContain(`--config=${mount.mountPath}/production.yaml`);
  });

  test('set every variable the config layers require, and only variables they read', () => {
    const set = new Set(values.extraEnvs.map((e) => e.name));
    for (const name of [...requiredVariables(base), ...requiredVariables(production)]) expect(set).toContain(name);
    const read = new Set([...allVariables(base), ...allVariables(production)]);
    for (const name of set) {
      if (name.startsWith('O4O_')) expect(read).toContain(name);
    }
  });

  test('the distribution validates base + production with those variables', () => {
    const binary = execFileSync('bash', [join(COLLECTOR, 'build.sh'), '--print-path'], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const scratch = mkdtempSync(join(tmpdir(), 'o4o-helm-'));
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
      for (const e of values.extraEnvs) if (e.value !== undefined) env[e.name] = e.value.replace(/\$\([A-Z_]+\)/g, 'x');
      env.O4O_QUEUE_DIR = join(scratch, 'queue'); // the pod's volume, here a scratch folder
      env.O4O_HOST_ROOT = '/';
      execFileSync(binary, ['validate', `--config=${join(COLLECTOR, 'config/base.yaml')}`, `--config=${join(COLLECTOR, 'config/production.yaml')}`], { env, stdio: 'pipe' });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
