/**
 * parseCliConfig: a pure function from arguments and an environment to a
 * frozen configuration or a usage error. One case per flag and variable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackEndpoints } from '@o4o/backends';
import { DEFAULTS, parseCliConfig, type CliConfig, type FindQuery } from '../src/config';
import { helpText } from '../src/help';
import { COMMANDS, COMMAND_OPTIONS, COMMON_OPTIONS, flagSynopsis } from '../src/options';

function ok(argv: string[], env: Record<string, string> = {}): CliConfig {
  const parsed = parseCliConfig(argv, env);
  if (!parsed.ok) throw new Error(`expected success, got: ${parsed.error}`);
  return parsed.config;
}

function usage(argv: string[], env: Record<string, string> = {}): string {
  const parsed = parseCliConfig(argv, env);
  if (parsed.ok) throw new Error(`expected a usage error for ${argv.join(' ')}`);
  return parsed.error;
}

function findQuery(argv: string[]): FindQuery {
  const { command } = ok(['find', ...argv]);
  if (command.name !== 'find') throw new Error('not find');
  return command.query;
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('endpoints', () => {
  test("no flags and an empty environment give the local stack's addresses, from its address book", () => {
    const config = ok(['trace', TRACE_ID]);
    const stack = stackEndpoints({});
    expect(config.endpoints).toEqual({
      jaeger: stack.jaeger,
      prometheus: stack.prometheus,
      alertmanager: stack.alertmanager,
      search: stack.search,
      collectorHealth: stack.collectorHealth,
      collectorMetrics: stack.collectorMetrics,
      grafana: undefined,
    });
    expect(config.endpoints.collectorMetrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(config.json).toBe(false);
    expect(config.timeoutMillis).toBe(DEFAULTS.timeoutMillis);
    expect(config.logsIndex).toBe('o4o-logs');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.endpoints)).toBe(true);
  });

  const variables: [variable: string, key: keyof CliConfig['endpoints'], flag: string][] = [
    ['O4O_JAEGER_URL', 'jaeger', '--jaeger'],
    ['O4O_PROMETHEUS_URL', 'prometheus', '--prometheus'],
    ['O4O_ALERTMANAGER_URL', 'alertmanager', '--alertmanager'],
    ['O4O_SEARCH_URL', 'search', '--search'],
    ['O4O_COLLECTOR_HEALTH', 'collectorHealth', '--collector'],
    ['O4O_COLLECTOR_METRICS', 'collectorMetrics', '--collector-metrics'],
    ['O4O_GRAFANA_URL', 'grafana', '--grafana'],
  ];
  test.each(variables)('%s sets %s; %s wins over it', (variable, key, flag) => {
    expect(ok(['alerts'], { [variable]: 'http://env.example:1/' }).endpoints[key]).toBe('http://env.example:1');
    expect(ok(['alerts', flag, 'https://flag.example:2'], { [variable]: 'http://env.example:1' }).endpoints[key]).toBe('https://flag.example:2');
  });

  test("the stack's port variables move the defaults as they move the stack; the URL variables still win", () => {
    expect(ok(['alerts'], { O4O_PROMETHEUS_PORT: '19090' }).endpoints.prometheus).toBe('http://127.0.0.1:19090');
    expect(ok(['alerts'], { O4O_COLLECTOR_TELEMETRY_PORT: '18888' }).endpoints.collectorMetrics).toBe('http://127.0.0.1:18888/metrics');
    expect(ok(['alerts'], { O4O_PROMETHEUS_PORT: '19090', O4O_PROMETHEUS_URL: 'http://prom.example' }).endpoints.prometheus).toBe('http://prom.example');
  });

  test('an empty variable counts as unset', () => {
    expect(ok(['alerts'], { O4O_JAEGER_URL: '  ' }).endpoints.jaeger).toBe(DEFAULTS.jaeger);
  });

  test('a variable that is not an http URL is a usage error naming it', () => {
    expect(usage(['alerts'], { O4O_JAEGER_URL: 'localhost:1686' })).toBe("O4O_JAEGER_URL must be an http(s) URL, got 'localhost:1686'");
    expect(usage(['alerts', '--search', 'ftp://x'])).toBe("--search must be an http(s) URL, got 'ftp://x'");
  });

  test('O4O_LOGS_INDEX and --index', () => {
    expect(ok(['alerts'], { O4O_LOGS_INDEX: 'logs-a' }).logsIndex).toBe('logs-a');
    expect(ok(['alerts', '--index', 'logs-b'], { O4O_LOGS_INDEX: 'logs-a' }).logsIndex).toBe('logs-b');
  });

  test('O4O_CLI_TIMEOUT and --timeout take durations', () => {
    expect(ok(['alerts'], { O4O_CLI_TIMEOUT: '2s' }).timeoutMillis).toBe(2_000);
    expect(ok(['alerts', '--timeout', '750ms']).timeoutMillis).toBe(750);
    expect(usage(['alerts', '--timeout', 'soon'])).toBe("--timeout expects a duration such as 5s or 500ms, got 'soon'");
  });

  test('--json', () => {
    expect(ok(['doctor', '--json']).json).toBe(true);
  });
});

describe('commands', () => {
  test('no arguments, help, --help and -h show the usage', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h']]) expect(ok(argv).command.name).toBe('help');
    expect(ok(['find', '--help']).command).toEqual({ name: 'help', topic: 'find' });
  });

  test('an unknown command is a usage error listing the commands', () => {
    expect(usage(['traces'])).toBe("unknown command 'traces': expected one of trace, find, alerts, doctor (o4o-otel --help)");
    expect(usage(['--jaeger', 'http://x', 'trace'])).toMatch(/put the command first/);
  });

  test('an unknown flag is a usage error naming the flag and the command', () => {
    expect(usage(['find', '--bogus'])).toBe("unknown flag '--bogus' for find (o4o-otel find --help)");
    expect(usage(['trace', TRACE_ID, '--service', 'x'])).toBe("unknown flag '--service' for trace (o4o-otel trace --help)");
  });

  test('a flag without its value', () => {
    expect(usage(['find', '--attr'])).toBe('--attr needs a value: -a, --attr key=value (o4o-otel find --help)');
  });
});

describe('trace', () => {
  test('takes a 32-hex trace id, lower-cased', () => {
    expect(ok(['trace', TRACE_ID.toUpperCase()]).command).toEqual({ name: 'trace', traceId: TRACE_ID });
  });

  test.each([
    ['too short', 'abc'],
    ['16 hex digits (a span id)', '00f067aa0ba902b7'],
    ['not hex', 'zbf92f3577b34da6a3ce929d0e0e4736'],
    ['all zero (invalid in W3C trace context)', '00000000000000000000000000000000'],
  ])('a malformed id (%s) is a usage error', (_case, id) => {
    expect(usage(['trace', id])).toBe(`malformed trace id '${id}': expected 32 hex digits, e.g. 4bf92f3577b34da6a3ce929d0e0e4736`);
  });

  test('no id, or two', () => {
    expect(usage(['trace'])).toBe('trace needs a trace id: o4o-otel trace <32 hex digits>');
    expect(usage(['trace', TRACE_ID, TRACE_ID])).toBe(`unexpected argument '${TRACE_ID}' for trace`);
  });
});

describe('find', () => {
  test('defaults: every service, the last hour, 20 traces, newest first', () => {
    expect(findQuery([])).toEqual({
      services: [],
      operation: undefined,
      attributes: {},
      errorsOnly: false,
      minDurationMicros: undefined,
      since: { agoMillis: 3_600_000 },
      until: undefined,
      limit: 20,
      sort: 'time',
    });
  });

  test('every flag', () => {
    const query = findQuery(['-s', 'shop-api', '--service', 'payments', '-o', 'POST /orders', '--attr', 'order.id=123', '-a', 'http.response.status_code=500', '--errors', '--min-duration', '1.5s', '--since', '2024-05-01T10:00:00Z', '--until', '5m', '--limit', '5', '--sort', 'duration']);
    expect(query).toEqual({
      services: ['shop-api', 'payments'],
      operation: 'POST /orders',
      attributes: { 'order.id': '123', 'http.response.status_code': '500' },
      errorsOnly: true,
      minDurationMicros: 1_500_000,
      since: { atMillis: Date.parse('2024-05-01T10:00:00Z') },
      until: { agoMillis: 300_000 },
      limit: 5,
      sort: 'duration',
    });
  });

  test('an attribute value may contain =', () => {
    expect(findQuery(['--attr', 'url.query=a=b']).attributes).toEqual({ 'url.query': 'a=b' });
  });

  test.each([
    [['--attr', 'order.id'], "--attr expects key=value (e.g. --attr order.id=123), got 'order.id'"],
    [['--min-duration', 'slow'], "--min-duration expects a duration such as 250ms, 1.5s or 2m, got 'slow'"],
    [['--since', 'yesterday'], "--since expects a duration ago (15m, 2h, 1d) or an ISO date, got 'yesterday'"],
    [['--until', '2024-13-45'], "--until expects a duration ago (15m, 2h) or an ISO date, got '2024-13-45'"],
    [['--limit', '0'], "--limit must be a positive integer, got '0'"],
    [['--sort', 'size'], "--sort expects time or duration, got 'size'"],
    [['shop-api'], "unexpected argument 'shop-api' for find"],
  ])('%j is a usage error', (argv, message) => {
    expect(usage(['find', ...argv])).toBe(message);
  });
});

describe('alerts and doctor', () => {
  test('alerts: --service and --examples', () => {
    expect(ok(['alerts']).command).toEqual({ name: 'alerts', service: undefined, examples: 3 });
    expect(ok(['alerts', '--service', 'shop-api', '--examples', '5']).command).toEqual({ name: 'alerts', service: 'shop-api', examples: 5 });
  });

  test('doctor: --service-metrics must be a URL; --service-name', () => {
    expect(ok(['doctor', '--service-metrics', 'http://127.0.0.1:9464/metrics', '--service-name', 'shop-api']).command).toEqual({
      name: 'doctor',
      serviceMetrics: 'http://127.0.0.1:9464/metrics',
      serviceName: 'shop-api',
    });
    expect(usage(['doctor', '--service-metrics', '9464'])).toBe("--service-metrics must be an http(s) URL, got '9464'");
  });
});

test('the environment object is only read, never written', () => {
  const env = Object.freeze({ O4O_JAEGER_URL: 'http://a:1' });
  expect(() => parseCliConfig(['alerts'], env)).not.toThrow();
});

describe('one option table behind parser, help and README', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const all = [...COMMON_OPTIONS.map((o) => ['common', o] as const), ...COMMANDS.flatMap((c) => COMMAND_OPTIONS[c].map((o) => [c, o] as const))];

  test.each(all.map(([command, o]) => [command, o.name, o]))('%s --%s is in --help and the README, with its short form and variable', (command, _name, o) => {
    const help = helpText(command === 'common' ? undefined : command);
    expect(help).toContain(flagSynopsis(o));
    expect(readme).toContain(`--${o.name}`);
    if (o.short) expect(readme).toContain(`-${o.short}`);
    if (o.env) {
      expect(help).toContain(o.env);
      expect(readme).toContain(o.env);
    }
    if (o.env && o.fallback) expect(readme).toContain(`| \`--${o.name}\` | \`${o.env}\` | \`${o.fallback}\``);
  });

  test('every flag of the table parses, short forms included', () => {
    for (const command of COMMANDS) {
      for (const o of COMMAND_OPTIONS[command]) {
        const flag = o.short ? `-${o.short}` : `--${o.name}`;
        const value = o.name === 'attr' ? 'k=v' : o.name === 'limit' || o.name === 'examples' ? '3' : o.name === 'min-duration' || o.name === 'since' || o.name === 'until' ? '5m' : o.name === 'sort' ? 'duration' : o.name === 'service-metrics' ? 'http://127.0.0.1:9464/metrics' : 'x';
        const args = command === 'trace' ? ['trace', '4bf92f3577b34da6a3ce929d0e0e4736'] : [command];
        const parsed = parseCliConfig([...args, flag, ...(o.value ? [value] : [])], {});
        expect(parsed).toMatchObject({ ok: true });
      }
    }
  });

  test.each([
    [['find', '--bogus'], "unknown flag '--bogus' for find (o4o-otel find --help)"],
    [['find', '-x'], "unknown flag '-x' for find (o4o-otel find --help)"],
    [['find', '--since'], '--since needs a value: --since 1h|ISO (o4o-otel find --help)'],
    [['find', '--service', '--errors'], '--service needs a value: -s, --service S (o4o-otel find --help)'],
    [['find', '--errors=yes'], "--errors takes no value, got 'yes' (o4o-otel find --help)"],
    [['alerts', '--json=1'], "--json takes no value, got '1' (o4o-otel alerts --help)"],
  ])('%j: %s', (argv, message) => {
    expect(parseCliConfig(argv, {})).toEqual({ ok: false, error: message });
  });
});
