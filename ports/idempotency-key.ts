// Our idempotency keys carry template names with accents (`onboarding-u1:guide-démarrage`);
// an HTTP header cannot (fetch mangles é to U+FFFD). Providers get a header-safe form
// derived deterministically, so every retry sends the very same key.
import { createHash } from 'node:crypto';

/** Stripe and Resend both accept keys up to 255 characters. */
const MAX_LENGTH = 255;

export function headerSafeKey(key: string): string {
  const ascii = /^[\x21-\x7e]+$/.test(key) ? key : encodeURIComponent(key);
  return ascii.length <= MAX_LENGTH ? ascii : `sha256-${createHash('sha256').update(key).digest('hex')}`;
}
