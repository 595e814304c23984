/** Reading a Prometheus text exposition, for assertions on series and labels (parsed by @o4o/backends). */
import { parseExposition, type Sample } from '@o4o/backends';

export { parseExposition, type Sample };

export async function fetchText(url: string, timeoutMillis = 5_000): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMillis) });
  return { status: response.status, text: await response.text() };
}

export async function scrapeMetrics(url: string): Promise<{ text: string; samples: Sample[] }> {
  const { status, text } = await fetchText(url);
  if (status !== 200) throw new Error(`scrape of ${url} answered ${status}`);
  return { text, samples: parseExposition(text) };
}
