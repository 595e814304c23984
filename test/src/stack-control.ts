/** Stops and starts single services of the local stack, as an outage would. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const STACK_DIR = resolve(__dirname, '../../stack');
/** Where stack/*.sh keep pid files and logs: ${O4O_STACK_DIR:-<repo>/.stack}/{run,logs}. */
const STATE_DIR = process.env.O4O_STACK_DIR ?? resolve(__dirname, '../../.stack');
const RUN_DIR = resolve(STATE_DIR, 'run');

export function stopServices(...services: string[]): void {
  execFileSync('bash', [resolve(STACK_DIR, 'stop.sh'), ...services], { stdio: 'pipe', timeout: 120_000 });
}

export function startServices(...services: string[]): void {
  execFileSync('bash', [resolve(STACK_DIR, 'start.sh'), ...services], { stdio: 'pipe', timeout: 300_000 });
}

/** Stops the services (in the stack's reverse order) and starts them again; returns once each answers. */
export function restartServices(...services: string[]): void {
  stopServices(...services);
  startServices(...services);
}

/** The pid recorded for a service by stack/start.sh, or undefined when it has none. */
export function servicePid(service: string): number | undefined {
  const file = resolve(RUN_DIR, `${service}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  return Number.isNaN(pid) ? undefined : pid;
}

/** The log file stack/start.sh sends a service's output to. */
export function serviceLogFile(service: string): string {
  return resolve(STATE_DIR, 'logs', `${service}.log`);
}
