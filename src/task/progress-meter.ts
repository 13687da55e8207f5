import { subscribeToSink } from '../events/sink-events';
import type { Logger } from '../logging/logger';

/**
 * One progress line per interval (`progress.interval.ms`): throughput, totals and consumer lag, from
 * the sink's events (`events/sink-events.ts`).
 */
export class ProgressMeter {
  private total = 0;
  private failed = 0;
  private windowStart = Date.now();
  private windowWritten = 0;
  private readonly lags = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number,
    private readonly instance: string,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.unsubscribe = subscribeToSink(this.instance, {
      batch: (e) => {
        this.total += e.written;
        this.windowWritten += e.written;
        this.failed += e.failed;
      },
      lag: (e) => this.lags.set(`${e.topic}/${e.partition}`, e.lag),
    });
    this.timer = setInterval(() => this.emit(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (!this.unsubscribe) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.emit();
    this.unsubscribe();
    this.unsubscribe = null;
  }

  private emit(): void {
    const now = Date.now();
    const seconds = Math.max((now - this.windowStart) / 1000, 0.001);
    let lag = 0;
    for (const l of this.lags.values()) lag += l;
    this.log.info({ recordsPerSecond: Math.round(this.windowWritten / seconds), written: this.total, failed: this.failed, lag }, 'progress');
    this.windowStart = now;
    this.windowWritten = 0;
  }
}
