#!/usr/bin/env node
/**
 * o4o-otel: argument dispatch and exit codes. Everything a command prints goes
 * through here: its lines (or JSON with --json) on stdout, warnings and errors
 * as single `o4o-otel: ...` lines on stderr.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAlerts } from './commands/alerts';
import { runDoctor } from './commands/doctor';
import { runFind } from './commands/find';
import { runTrace } from './commands/trace';
import { parseCliConfig, type CliConfig } from './config';
import { EXIT, reported } from './errors';
import { helpText } from './help';
import { outcome, type Outcome } from './outcome';
import { jsonSafe, terminalSafe } from './render/terminal-safe';

/** An unexpected failure: a bug, not a finding (sysexits' EX_SOFTWARE). */
const EXIT_INTERNAL = 70;

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function dispatch(config: CliConfig): Promise<Outcome> {
  const { command } = config;
  const now = Date.now();
  switch (command.name) {
    case 'help':
      return outcome(helpText(command.topic).trimEnd().split('\n'), { help: helpText(command.topic) });
    case 'version':
      return outcome([`o4o-otel ${version()}`], { version: version() });
    case 'trace':
      return runTrace(config, command.traceId);
    case 'find':
      return runFind(config, command.query, now);
    case 'alerts':
      return runAlerts(config, command.service, command.examples, now);
    case 'doctor':
      return runDoctor(config, command.serviceMetrics, command.serviceName);
  }
}

/** Every line the tool prints passes here, control characters escaped (see terminal-safe.ts). */
function write(stream: NodeJS.WriteStream, text: string): void {
  const safe = terminalSafe(text);
  if (safe) stream.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

function writeJson(value: unknown, pretty = false): void {
  process.stdout.write(`${jsonSafe(pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value))}\n`);
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCliConfig(argv, env);
  if (!parsed.ok) {
    write(process.stderr, `o4o-otel: ${parsed.error}`);
    if (argv.includes('--json')) writeJson({ error: { code: 'usage', message: parsed.error } });
    return EXIT.usage;
  }
  const { config } = parsed;
  try {
    const result = await dispatch(config);
    if (config.json) writeJson(result.json, true);
    else write(process.stdout, result.lines.join('\n'));
    for (const warning of result.warnings) write(process.stderr, `o4o-otel: ${warning}`);
    return result.exitCode;
  } catch (error) {
    const failure = reported(error);
    if (failure !== undefined) {
      write(process.stderr, `o4o-otel: ${failure.message}`);
      if (config.json) writeJson({ error: { code: failure.code, message: failure.message, ...failure.details } });
      return failure.exitCode;
    }
    write(process.stderr, `o4o-otel: internal error: ${(error as Error).stack ?? String(error)}`);
    return EXIT_INTERNAL;
  }
}

if (require.main === module) {
  // exitCode, not exit(): let stdout drain when piped.
  void main(process.argv.slice(2), process.env).then((code) => (process.exitCode = code));
}
