import type { Logger } from '../logging/logger';

/** One progress line per interval: throughput, totals and consumer lag. */
export class ProgressMeter {
  private total = 0;
  private dlq = 0;
  private windowStart = Date.now();
  private windowWritten = 0;
  private readonly lags = new Map<string, bigint>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.emit(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.emit();
  }

  recordWritten(rows: number, failed: number): void {
    this.total += rows;
    this.windowWritten += rows;
    this.dlq += failed;
  }

  lag(topic: string, partition: number, highWatermark: string, lastOffset: string): void {
    const lag = BigInt(highWatermark) - BigInt(lastOffset) - 1n;
    this.lags.set(`${topic}/${partition}`, lag > 0n ? lag : 0n);
  }

  private emit(): void {
    const now = Date.now();
    const seconds = Math.max((now - this.windowStart) / 1000, 0.001);
    let lag = 0n;
    for (const l of this.lags.values()) lag += l;
    this.log.info({ recordsPerSecond: Math.round(this.windowWritten / seconds), written: this.total, failed: this.dlq, lag: Number(lag) }, 'progress');
    this.windowStart = now;
    this.windowWritten = 0;
  }
}
