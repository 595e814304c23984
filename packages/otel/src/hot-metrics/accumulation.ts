/**
 * What a histogram series gathered over some stretch of time: bucket counts,
 * sum, count, min and max. Merged the way the metrics SDK's histogram
 * aggregator merges (previous + next, in that order), so sums come out with
 * the same floating-point rounding as the SDK path.
 */

/**
 * Epoch milliseconds with the monotonic clock's sub-millisecond part, as the
 * SDK's hrtime-based times have: with whole milliseconds (Date.now) a series'
 * first measurement and a reader's collection in the same millisecond would
 * read as the same instant, and a new series' delta point as continuing the
 * previous one.
 */
export function epochMillis(): number {
  return performance.timeOrigin + performance.now();
}

export class Accumulation {
  /** One count per bucket: `boundaries.length + 1`, the last one above every boundary. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;
  /** Epoch milliseconds of the first measurement it holds (the SDK's start time of a new series). */
  startMillis = 0;

  constructor(buckets: number) {
    this.counts = new Float64Array(buckets);
  }

  /** A copy, so one interval's counts can be handed to several readers. */
  copy(): Accumulation {
    const copy = new Accumulation(this.counts.length);
    copy.counts.set(this.counts);
    copy.sum = this.sum;
    copy.count = this.count;
    copy.min = this.min;
    copy.max = this.max;
    copy.startMillis = this.startMillis;
    return copy;
  }

  /** Adds `next` (a later interval) to this one; keeps this one's start time. */
  add(next: Accumulation): void {
    const counts = this.counts;
    const more = next.counts;
    for (let i = 0; i < counts.length; i++) counts[i] = counts[i]! + more[i]!;
    this.sum += next.sum;
    this.count += next.count;
    if (next.min < this.min) this.min = next.min;
    if (next.max > this.max) this.max = next.max;
  }
}
