/** Runs the built o4o-otel CLI (packages/cli/dist) against the local stack, as a user would. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { STACK } from './stack';

const CLI = resolve(__dirname, '../../packages/cli/dist/main.js');

/** The CLI pointed at the stack through the same variables STACK reads. */
const CLI_ENV = {
  O4O_JAEGER_URL: STACK.jaeger,
  O4O_SEARCH_URL: STACK.search,
  O4O_PROMETHEUS_URL: STACK.prometheus,
  O4O_ALERTMANAGER_URL: STACK.alertmanager,
  O4O_COLLECTOR_HEALTH: STACK.collectorHealth,
  O4O_COLLECTOR_METRICS: STACK.collectorMetrics,
};

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function o4oOtel(...args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...CLI_ENV }, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}
