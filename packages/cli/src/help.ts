/** The usage text, per command, written from the option table (options.ts). */
import { COMMANDS, COMMAND_OPTIONS, COMMON_OPTIONS, flagSynopsis, type CommandName, type OptionSpec } from './options';

const ABOUT: Readonly<Record<CommandName, { readonly usage: string; readonly text: string }>> = {
  trace: {
    usage: 'o4o-otel trace <traceId>',
    text: `The trace's span tree from Jaeger, its log records from the search node in
  time order, and links to open it in Jaeger (and Grafana with --grafana).
  traceId: 32 hex digits, e.g. 4bf92f3577b34da6a3ce929d0e0e4736.`,
  },
  find: {
    usage: 'o4o-otel find [flags]',
    text: `Traces matching every condition, newest (or longest) first. Without --service,
  every service Jaeger knows is searched. Exit 1 when nothing matches.`,
  },
  alerts: {
    usage: 'o4o-otel alerts [flags]',
    text: `Alerts firing in Alertmanager, each with example trace ids for its service and
  route: span-metrics exemplars from Prometheus, else a Jaeger span search.`,
  },
  doctor: {
    usage: 'o4o-otel doctor [flags]',
    text: `Checks a service's telemetry settings (its target_info) and the pipeline:
  collector health, receiving, refused and failed data, queues, Prometheus
  targets, and whether Jaeger, the search node and Alertmanager answer.
  Prints each problem with its fix; exit 1 when any is found.`,
  },
};

const EXIT_CODES = `Exit codes: 0 ok; 1 not found / no match / doctor found problems;
2 usage error (unknown flag, malformed trace id); 3 a backend is unreachable or failing.`;

/** Two columns: the flag, then its meaning with variable and default. */
function optionLines(specs: readonly OptionSpec[]): string[] {
  const width = Math.max(...specs.map((s) => flagSynopsis(s).length)) + 2;
  return specs.map((s) => {
    const source = [s.env, s.fallback === undefined ? undefined : `default ${s.fallback}`].filter(Boolean).join(', ');
    return `  ${flagSynopsis(s).padEnd(width)}${s.help}${source ? ` (${source})` : ''}`;
  });
}

function commandText(name: CommandName): string {
  const about = ABOUT[name];
  const own = COMMAND_OPTIONS[name];
  return [about.usage, `  ${about.text}`, ...(own.length > 0 ? ['', 'Flags:', ...optionLines(own)] : [])].join('\n');
}

const COMMON = ['Common flags (flag, else variable, else default):', ...optionLines(COMMON_OPTIONS)].join('\n');

export function helpText(topic: string | undefined): string {
  if (topic && (COMMANDS as readonly string[]).includes(topic)) return `${commandText(topic as CommandName)}\n\n${COMMON}\n\n${EXIT_CODES}\n`;
  return `o4o-otel: trace, log and alert lookups for on-call engineers

${COMMANDS.map(commandText).join('\n\n')}

${COMMON}

${EXIT_CODES}
`;
}
