// The demo pages (/demo/<tenant>/checkout and /board) run the real machines in the browser
// and report through the real ingestion API, so they need an API key in the page. The key
// is derived (HMAC of SESSION_SECRET and the tenant), never stored: the server recomputes
// it, and only its sha256 is in api_keys like any other key. Only staff members of the
// tenant open these pages (docs/decisions/030-ingestion-api.md).
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { type TenantContext, requireTenant } from '../server/auth.server';
import { runAuditedAction } from '../server/audited-action.server';
import { db } from '../server/db.server';
import { env } from '../server/env.server';

export const DEMO_KEY_NAME = 'Demo pages (automatic)';
// A revoked demo key is replaced by the next generation; an admin revoking it 20 times is done with demos.
const MAX_GENERATIONS = 20;

const g = globalThis as unknown as { __vigieDemoSecret?: string };
/** Without SESSION_SECRET each console process derives its own keys (all valid; set it when running several). */
function secret(): string {
  g.__vigieDemoSecret ??= env().SESSION_SECRET ?? randomBytes(32).toString('base64url');
  return g.__vigieDemoSecret;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function derivedKey(tenantId: string, generation: number) {
  const secretPart = createHmac('sha256', secret()).update(`vigie-demo-key:${tenantId}:${generation}`).digest('base64url');
  const raw = `vk_${tenantId}_${secretPart}`;
  return { raw, keyHash: sha256(raw), prefix: `vk_${tenantId}_${secretPart.slice(0, 8)}` };
}

/** The staff member opening a demo page: any role of the tenant; anyone else gets the login page or a 404. */
export function requireDemoAccess(request: Request, tenantId: string | undefined): Promise<TenantContext> {
  return requireTenant(request, tenantId);
}

/** The tenant's demo API key, created (and audited) the first time. */
export async function demoApiKey(ctx: TenantContext): Promise<string> {
  for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
    const made = derivedKey(ctx.tenantId, generation);
    const existing = await db().apiKey.findUnique({ where: { keyHash: made.keyHash } });
    if (existing?.revokedAt) continue;
    if (existing) return made.raw;
    const outcome = await runAuditedAction(
      ctx,
      {
        action: 'apikey:create',
        targetType: 'api_key',
        targetId: made.prefix,
        idempotencyKey: `demo-key-${sha256(made.keyHash).slice(0, 32)}`,
        detail: { name: DEMO_KEY_NAME, automatic: true },
      },
      async () => {
        await db().apiKey.upsert({
          where: { keyHash: made.keyHash },
          create: { tenantId: ctx.tenantId, name: DEMO_KEY_NAME, prefix: made.prefix, keyHash: made.keyHash },
          update: {},
        });
        return { prefix: made.prefix };
      },
    );
    if (!outcome.ok) throw new Error(`could not create the demo API key: ${outcome.error}`);
    return made.raw;
  }
  throw new Response(JSON.stringify({ error: 'Every demo API key of this tenant was revoked.' }), { status: 409 });
}

/** How long a demo save told to hang waits (the machine gives up long before). */
export const DEMO_HANG_MS = 60_000;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

/** The session id a demo page reports under: the one asked for in the URL when valid, else a new one. */
export function demoSessionId(wanted: string | null): string {
  return wanted && /^[A-Za-z0-9_.:@-]{1,100}$/.test(wanted) ? wanted : `demo-${randomUUID().slice(0, 13)}`;
}
