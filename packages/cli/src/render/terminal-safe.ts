/**
 * Backend strings (span names, log bodies, attribute values, error messages
 * quoting a server) are whatever a service or an attacker put there. Printed
 * raw, `\x1b]0;...` retitles the window, `\x1b[2J` clears it, `\r` overwrites
 * the line and a bidirectional override reverses what the on-call engineer
 * reads. Every control character except the line breaks between output lines
 * is shown escaped instead: `\x1b`, `\r`, `\u202e`.
 */

/** C0 (but line feed), DEL, C1, and the bidirectional embedding, override and isolate marks. */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\r': '\\r' };

function escape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character escaped; line feeds are kept. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, escape);
}

/** What JSON.stringify leaves raw (DEL, C1, bidirectional marks), as \u escapes: still valid JSON, still the same string. */
const JSON_RAW = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function jsonSafe(json: string): string {
  return json.replace(JSON_RAW, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
