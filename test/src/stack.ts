/**
 * Where the local stack (stack/start.sh) listens: its address book,
 * stack/endpoints.env, read by the stack scripts and here alike. A port
 * variable in the environment (O4O_PROMETHEUS_PORT=19090, ...) overrides the
 * book for both, so the tests follow a stack started with it.
 */
import { stackEndpoints } from '@o4o/backends';

export const STACK = stackEndpoints();
