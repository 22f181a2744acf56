// Who a session token belongs to, remembered for a few seconds in this process: every page asks
// (the root loader, the tenant layout, the page itself), and one SQL round trip per request was a
// fixed cost on every page (docs/performance.md).
//
// The bound: a session revoked, an account or a membership disabled, or a role changed IN THIS
// PROCESS applies at once (the writer calls forgetStaff / forgetSessionToken). Changed by another
// console process, or straight in the database, it applies within SESSION_CACHE_MS (3 s by default;
// 0 turns the cache off). An entry never outlives its session's expiry. Tenancy and permission
// checks still run on every request, against the remembered memberships.

/** What is remembered: the row the session lookup answers, plus the session's expiry. */
export interface RememberedStaff<T> {
  value: T;
  userId: string;
  /** Date.now() after which the entry is not used. */
  until: number;
}

const MAX_ENTRIES = 10_000;

export class SessionCache<T> {
  private entries = new Map<string, RememberedStaff<T>>();
  /** Bumped by every forget: a lookup that started before it must not store what it read. */
  private generation = 0;

  constructor(private ttlMs: () => number) {}

  get(tokenHash: string, now = Date.now()): T | undefined {
    const hit = this.entries.get(tokenHash);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return hit.value;
  }

  /** The generation to hand back to `set`, taken before the lookup starts. */
  begin(): number {
    return this.generation;
  }

  set(tokenHash: string, startedAt: number, entry: { value: T; userId: string; expiresAt: Date }, now = Date.now()) {
    const ttl = this.ttlMs();
    if (ttl <= 0 || startedAt !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) {
      // The oldest first (a Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, { value: entry.value, userId: entry.userId, until: Math.min(now + ttl, entry.expiresAt.getTime()) });
  }

  forgetToken(tokenHash: string) {
    this.generation++;
    this.entries.delete(tokenHash);
  }

  forgetUser(userId: string) {
    this.generation++;
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
  }

  /**
   * A write this process made to a user's own row that the remembered entries should hold too
   * (where they work now): changed in place instead of forgotten, so the next request need not read
   * the session again. A lookup already under way does not store what it read.
   */
  patchUser(userId: string, patch: Partial<T>) {
    this.generation++;
    for (const entry of this.entries.values()) if (entry.userId === userId) entry.value = { ...entry.value, ...patch };
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }
}
