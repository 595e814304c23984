/**
 * Pure helpers: the semantic-convention attributes of an incoming request, its
 * Express route template, and the few metric attribute sets a service has.
 * What upstream instrumentation-http records, computed once per request from
 * the raw request line and headers, without building a URL object.
 */
import type { Attributes } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import { notedRoute } from '../express/request-notes';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';

/** Methods kept as sent; any other becomes `_OTHER` (with `http.request.method_original`). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

export function normaliseMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/** `host[:port]` or `[v6]:port` to its parts; the default port of the scheme when none is given. */
export function parseHost(host: string, scheme: string): { address: string; port: number | undefined } {
  const close = host.lastIndexOf(']');
  const colon = host.lastIndexOf(':');
  if (colon > close && colon !== -1) {
    const port = Number(host.slice(colon + 1));
    return { address: host.slice(0, colon), port: Number.isInteger(port) && port > 0 ? port : undefined };
  }
  return { address: host, port: scheme === 'https' ? 443 : scheme === 'http' ? 80 : undefined };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The first `name=value` of the first element of a `Forwarded` header (RFC 7239), unquoted. */
export function forwardedParameter(header: string, name: string): string | undefined {
  const first = header.split(',', 1)[0]!;
  for (const pair of first.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim().toLowerCase() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return undefined;
}

/** An address from `X-Forwarded-For`/`Forwarded for=`, without its port or IPv6 brackets. */
export function stripPort(address: string): string {
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    return close === -1 ? address : address.slice(1, close);
  }
  const colon = address.indexOf(':');
  // One colon: host:port. More: a bare IPv6 address.
  return colon !== -1 && colon === address.lastIndexOf(':') ? address.slice(0, colon) : address;
}

function clientAddress(request: IncomingMessage): string | undefined {
  const { headers } = request;
  const forwarded = firstHeader(headers.forwarded);
  const forwardedFor = forwarded === undefined ? undefined : forwardedParameter(forwarded, 'for');
  if (forwardedFor) return stripPort(forwardedFor);
  const xForwardedFor = firstHeader(headers['x-forwarded-for']);
  if (xForwardedFor) return stripPort(xForwardedFor.split(',', 1)[0]!.trim());
  return request.socket?.remoteAddress;
}

function serverHost(request: IncomingMessage): { host: string; scheme: string | undefined } | undefined {
  const { headers } = request;
  const forwarded = firstHeader(headers.forwarded);
  const forwardedHost = forwarded === undefined ? undefined : forwardedParameter(forwarded, 'host');
  if (forwardedHost) return { host: forwardedHost, scheme: forwardedParameter(forwarded!, 'proto') };
  const xForwardedHost = firstHeader(headers['x-forwarded-host']);
  if (xForwardedHost) return { host: xForwardedHost, scheme: firstHeader(headers['x-forwarded-proto']) };
  return headers.host ? { host: headers.host, scheme: undefined } : undefined;
}

/**
 * The attributes of a SERVER span as the request arrives (semantic conventions
 * for HTTP server spans, stable). `url.query` is kept as sent: the span privacy
 * processor replaces secret parameter values before the span ends.
 */
export function requestAttributes(request: IncomingMessage, scheme: 'http' | 'https', method: string): Attributes {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const socket = request.socket;
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: queryAt === -1 ? url : url.slice(0, queryAt),
    [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
  };
  if (queryAt !== -1 && queryAt < url.length - 1) attributes[ATTR_URL_QUERY] = url.slice(queryAt + 1);
  if (method !== request.method && request.method !== undefined) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
  const host = serverHost(request);
  if (host !== undefined) {
    const { address, port } = parseHost(host.host, host.scheme ?? scheme);
    attributes[ATTR_SERVER_ADDRESS] = address;
    if (port !== undefined) attributes[ATTR_SERVER_PORT] = port;
  }
  const client = clientAddress(request);
  if (client !== undefined) attributes[ATTR_CLIENT_ADDRESS] = client;
  if (socket?.remoteAddress !== undefined) attributes[ATTR_NETWORK_PEER_ADDRESS] = socket.remoteAddress;
  if (socket?.remotePort !== undefined) attributes[ATTR_NETWORK_PEER_PORT] = socket.remotePort;
  const userAgent = request.headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  return attributes;
}

/** What Express leaves on a request it routed: the mount path and the matched route. */
interface RoutedRequest {
  readonly baseUrl?: unknown;
  readonly route?: { readonly path?: unknown };
}

/**
 * The route template Express matched (e.g. `/api/stores/:storeId/products/:productId`),
 * read when the response finishes; undefined when no route matched or its
 * template cannot be known. It is what the Express instrumentation noted from
 * the patterns the app registered (express/). Without that instrumentation,
 * only a route of the app's own router is known (`req.route.path` with an
 * empty `req.baseUrl`): under a mount, `req.baseUrl` is the matched path, ids
 * included. Never the raw path: that would put ids into metric labels.
 */
export function routeOf(request: IncomingMessage): string | undefined {
  const noted = notedRoute(request);
  if (noted !== undefined) return noted ?? undefined;
  const { baseUrl, route } = request as IncomingMessage & RoutedRequest;
  const path = route?.path;
  if (path === undefined || path === null || (baseUrl !== undefined && baseUrl !== '')) return undefined;
  return typeof path === 'string' ? path : path instanceof RegExp ? path.toString() : Array.isArray(path) ? path.map(String).join(',') : undefined;
}

/** Longest list of distinct metric attribute sets kept; beyond it sets are built per request. */
const MAX_METRIC_ATTRIBUTE_SETS = 2_000;

/**
 * `http.server.request.duration` attributes, one frozen object per (method,
 * scheme, protocol, status, route): a service has a few dozen such sets, so
 * the object is built once rather than per request.
 */
export class MetricAttributeSets {
  private readonly sets = new Map<string, Attributes>();

  get(method: string, scheme: string, protocol: string | undefined, status: number, route: string | undefined): Attributes {
    const key = `${method} ${scheme} ${protocol} ${status} ${route ?? ''}`;
    const known = this.sets.get(key);
    if (known !== undefined) return known;
    const attributes: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_SCHEME]: scheme, [ATTR_HTTP_RESPONSE_STATUS_CODE]: status };
    if (protocol !== undefined) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = protocol;
    if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
    if (status >= 500) attributes[ATTR_ERROR_TYPE] = String(status);
    const frozen = Object.freeze(attributes);
    if (this.sets.size < MAX_METRIC_ATTRIBUTE_SETS) this.sets.set(key, frozen);
    return frozen;
  }
}
