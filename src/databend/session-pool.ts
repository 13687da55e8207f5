import type { DatabendSession } from './databend-session';

/** Hands each concurrent partition worker its own Databend session (sessions are not shared). */
export class SessionPool {
  private readonly idle: DatabendSession[];
  private readonly waiting: ((s: DatabendSession) => void)[] = [];

  constructor(sessions: DatabendSession[]) {
    if (sessions.length === 0) throw new Error('SessionPool needs at least one session');
    this.idle = [...sessions];
  }

  async with<T>(work: (session: DatabendSession) => Promise<T>): Promise<T> {
    const session = this.idle.pop() ?? (await new Promise<DatabendSession>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(session);
    } finally {
      const next = this.waiting.shift();
      if (next) next(session);
      else this.idle.push(session);
    }
  }
}
