/** Stops and starts single services of the local stack, as an outage would. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const STACK_DIR = resolve(__dirname, '../../stack');

export function stopServices(...services: string[]): void {
  execFileSync('bash', [resolve(STACK_DIR, 'stop.sh'), ...services], { stdio: 'pipe', timeout: 120_000 });
}

export function startServices(...services: string[]): void {
  execFileSync('bash', [resolve(STACK_DIR, 'start.sh'), ...services], { stdio: 'pipe', timeout: 300_000 });
}
