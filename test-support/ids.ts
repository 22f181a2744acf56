// The one unique-id helper of the tests, the e2e specs and the scripts: eight hex digits of a
// random UUID, after a prefix when one is given. Short enough to read in a failure message,
// random enough that test files sharing one database and one Temporal server never collide.
import { randomUUID } from 'node:crypto';

/** `uid()` → `3f9c1a7e`; `uid('t')` → `t-3f9c1a7e`. */
export function uid(prefix?: string): string {
  const id = randomUUID().slice(0, 8);
  return prefix ? `${prefix}-${id}` : id;
}
