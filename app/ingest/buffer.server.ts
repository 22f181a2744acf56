// The ingestion write buffer: requests add their rows and wait; every `intervalMs` (or as
// soon as `maxRows` are waiting) the rows of many requests go to PostgreSQL in one statement.
// A request's promise settles when the flush holding its rows has committed, so an HTTP 202
// means "stored", and a request's rows always go in the same flush (counts stay exact).

export interface WriteBufferOptions<T> {
  /** Writes the rows (already free of duplicate keys) and returns the keys it inserted. */
  flush: (rows: T[]) => Promise<Set<string>>;
  key: (row: T) => string;
  intervalMs: number;
  maxRows: number;
  /** Flushes running at once; more rows wait for one to finish. */
  maxConcurrent: number;
  /** Rows waiting beyond this are refused (PostgreSQL slower than the traffic, or down). */
  maxPendingRows: number;
}

/**
 * PostgreSQL refused the rows themselves (a data exception, class 22, or a constraint, class
 * 23): the input is at fault, not the database, so retrying the others alone can succeed.
 */
export function isInputFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

// A connection lost or a database down fails every half too: only input faults are bisected.
const isolatable = isInputFault;

export class BufferFullError extends Error {
  constructor() {
    super('The ingestion buffer is full: try again shortly');
  }
}

interface Waiter<T> {
  rows: T[];
  resolve: (stored: boolean[]) => void;
  reject: (error: unknown) => void;
}

export class WriteBuffer<T> {
  private waiting: Waiter<T>[] = [];
  private waitingRows = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = 0;
  readonly stats = { flushes: 0, rows: 0, inserted: 0 };

  constructor(private readonly opts: WriteBufferOptions<T>) {}

  /** Resolves with, per row, true when this call stored it and false when it was already there. */
  write(rows: T[]): Promise<boolean[]> {
    if (rows.length === 0) return Promise.resolve([]);
    if (this.waitingRows + rows.length > this.opts.maxPendingRows) return Promise.reject(new BufferFullError());
    return new Promise<boolean[]>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.waitingRows += rows.length;
      this.schedule();
    });
  }

  private schedule() {
    if (this.waiting.length === 0) return;
    if (this.waitingRows >= this.opts.maxRows && this.running < this.opts.maxConcurrent) {
      void this.flushNow();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (this.running < this.opts.maxConcurrent) void this.flushNow();
      // else: the running flush calls schedule() again when it ends.
    }, this.opts.intervalMs);
  }

  private async flushNow() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // Whole requests only, up to maxRows (a single request larger than that still goes alone).
    const taken: Waiter<T>[] = [];
    let n = 0;
    while (this.waiting.length > 0 && (n === 0 || n + this.waiting[0].rows.length <= this.opts.maxRows)) {
      const w = this.waiting.shift()!;
      taken.push(w);
      n += w.rows.length;
    }
    this.waitingRows -= n;
    if (taken.length === 0) return;
    this.running += 1;
    try {
      await this.flushRequests(taken);
    } finally {
      this.running -= 1;
      this.schedule();
    }
  }

  /**
   * One statement for the requests' rows; when it fails, the requests are split in halves and
   * each half is tried alone, so one faulty request (or tenant) fails only itself.
   */
  private async flushRequests(taken: Waiter<T>[]): Promise<void> {
    const seen = new Set<string>();
    const unique: T[] = [];
    const firsts = taken.map((w) =>
      w.rows.map((row) => {
        const k = this.opts.key(row);
        if (seen.has(k)) return false;
        seen.add(k);
        unique.push(row);
        return true;
      }),
    );
    let inserted: Set<string>;
    try {
      inserted = await this.opts.flush(unique);
    } catch (error) {
      if (taken.length === 1 || !isolatable(error)) {
        for (const w of taken) w.reject(error);
        return;
      }
      const half = Math.ceil(taken.length / 2);
      await this.flushRequests(taken.slice(0, half));
      await this.flushRequests(taken.slice(half));
      return;
    }
    this.stats.flushes += 1;
    this.stats.rows += taken.reduce((n, w) => n + w.rows.length, 0);
    this.stats.inserted += inserted.size;
    taken.forEach((w, i) => w.resolve(w.rows.map((row, j) => firsts[i][j] && inserted.has(this.opts.key(row)))));
  }

  /** Flushes everything waiting now (tests, shutdown). */
  async drain() {
    while (this.waiting.length > 0 || this.running > 0) {
      if (this.waiting.length > 0 && this.running < this.opts.maxConcurrent) await this.flushNow();
      else await new Promise((r) => setTimeout(r, 5));
    }
  }
}
