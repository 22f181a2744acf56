// PII minimisation of reported checkout contexts. The reporter already minimises in the
// browser (machines/reporter.ts); the server does it again because any client can send
// anything: what is not on the list below is never stored.
//
// Two readers of one shape: `checkoutContextSchema` (zod) and `fastCheckoutContext`, a
// hand-written check of the same rules that is several times faster. Ingestion tries the
// fast one and falls back to zod, which alone explains what is wrong; both end in
// `minimiseCheckoutContext`, and ingest-pii.server.test.ts checks they agree.
import { z } from 'zod';

const CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_ITEMS = 200;
const SHIPPING = ['standard', 'express', 'premium'] as const;
type Shipping = (typeof SHIPPING)[number];

/** Free-text error messages can quote an address or a name: only code-like values are kept. */
export function codeOrMasked(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return typeof v === 'string' && CODE.test(v) ? v : '[masqué]';
}

interface Item { produitId: string; quantité: number; prix: number }
interface Address { ville?: string; pays?: string; codePostalPréfixe?: string; codePostal?: string }

/** The context once its shape is known good (by either reader). */
export interface CheckedContext {
  items: Item[];
  adresseLivraison?: Address | null;
  méthodeExpédition?: Shipping | null;
  méthodePaiementChoisie?: boolean;
  méthodeId?: unknown;
  tentativesPaiement: number;
  référenceCommande?: string | null;
  erreurLivraison?: unknown;
  erreurPaiement?: unknown;
  erreurRéseau?: unknown;
}

/** Keeps city, country and the first two characters of the postal code; drops names and street. */
export function minimiseCheckoutContext(c: CheckedContext) {
  const a = c.adresseLivraison;
  const items = c.items.map(({ produitId, quantité, prix }) => ({ produitId, quantité, prix }));
  const cartCents = items.reduce((sum, i) => sum + Math.round(i.prix * 100) * i.quantité, 0);
  const erreurPaiement = codeOrMasked(c.erreurPaiement);
  return {
    cartCents: Math.min(cartCents, 2_147_483_647),
    itemCount: items.reduce((n, i) => n + i.quantité, 0),
    paymentAttempts: c.tentativesPaiement,
    lastErrorCode: erreurPaiement,
    context: {
      items,
      adresseLivraison: a
        ? {
            ville: a.ville?.trim() || null,
            pays: a.pays?.trim() || null,
            codePostalPréfixe: (a.codePostalPréfixe ?? a.codePostal ?? '').trim().slice(0, 2) || null,
          }
        : null,
      méthodeExpédition: c.méthodeExpédition ?? null,
      // Either the reporter's flag, or a raw payment method id reduced to "there was one".
      méthodePaiementChoisie: c.méthodePaiementChoisie ?? (typeof c.méthodeId === 'string' && c.méthodeId.length > 0),
      tentativesPaiement: c.tentativesPaiement,
      référenceCommande: c.référenceCommande ?? null,
      erreurLivraison: codeOrMasked(c.erreurLivraison),
      erreurPaiement,
      erreurRéseau: codeOrMasked(c.erreurRéseau),
    },
  };
}

export type MinimisedCheckout = ReturnType<typeof minimiseCheckoutContext>;
export type StoredCheckoutContext = MinimisedCheckout['context'];

const item = z.object({
  produitId: z.string().min(1).max(100),
  quantité: z.number().int().min(0).max(100_000),
  prix: z.number().finite().min(0).max(10_000_000),
});

const address = z
  .object({
    ville: z.string().max(100).optional(),
    pays: z.string().max(60).optional(),
    codePostalPréfixe: z.string().max(20).optional(),
    codePostal: z.string().max(20).optional(),
  })
  .nullable()
  .optional();

/** Unknown keys (méthodeId's value, prénom, nom, ligne1, email, ...) are dropped. */
export const checkoutContextSchema = z
  .object({
    items: z.array(item).max(MAX_ITEMS).default([]),
    adresseLivraison: address,
    méthodeExpédition: z.enum(SHIPPING).nullable().optional(),
    méthodePaiementChoisie: z.boolean().optional(),
    méthodeId: z.unknown().optional(),
    tentativesPaiement: z.number().int().min(0).max(1000).default(0),
    référenceCommande: z.string().max(64).nullable().optional(),
    erreurLivraison: z.unknown().optional(),
    erreurPaiement: z.unknown().optional(),
    erreurRéseau: z.unknown().optional(),
  })
  .transform(minimiseCheckoutContext);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);
const intIn = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** The same rules as checkoutContextSchema, without zod; null when anything is off (zod will say what). */
export function fastCheckoutContext(raw: unknown): MinimisedCheckout | null {
  if (!isObject(raw)) return null;
  const items = raw.items ?? [];
  if (!Array.isArray(items) || items.length > MAX_ITEMS) return null;
  for (const i of items) {
    if (!isObject(i)) return null;
    if (typeof i.produitId !== 'string' || i.produitId.length < 1 || i.produitId.length > 100) return null;
    if (!intIn(i.quantité, 0, 100_000)) return null;
    if (typeof i.prix !== 'number' || !Number.isFinite(i.prix) || i.prix < 0 || i.prix > 10_000_000) return null;
  }
  const a = raw.adresseLivraison;
  if (a !== undefined && a !== null) {
    if (!isObject(a)) return null;
    if (!optString(a.ville, 100) || !optString(a.pays, 60) || !optString(a.codePostalPréfixe, 20) || !optString(a.codePostal, 20)) return null;
  }
  const m = raw.méthodeExpédition;
  if (m !== undefined && m !== null && !(SHIPPING as readonly unknown[]).includes(m)) return null;
  if (raw.méthodePaiementChoisie !== undefined && typeof raw.méthodePaiementChoisie !== 'boolean') return null;
  const attempts = raw.tentativesPaiement ?? 0;
  if (!intIn(attempts, 0, 1000)) return null;
  const ref = raw.référenceCommande;
  if (ref !== undefined && ref !== null && !(typeof ref === 'string' && ref.length <= 64)) return null;
  return minimiseCheckoutContext({
    items: items as Item[],
    adresseLivraison: a as Address | null | undefined,
    méthodeExpédition: m as Shipping | null | undefined,
    méthodePaiementChoisie: raw.méthodePaiementChoisie as boolean | undefined,
    méthodeId: raw.méthodeId,
    tentativesPaiement: attempts as number,
    référenceCommande: ref as string | null | undefined,
    erreurLivraison: raw.erreurLivraison,
    erreurPaiement: raw.erreurPaiement,
    erreurRéseau: raw.erreurRéseau,
  });
}

const MAX_TITLE = 200;

/** Kanban boards keep ids, titles (cut) and limits; nothing else a client adds to a card. */
export const boardSchema = z
  .array(
    z.object({
      id: z.string().min(1).max(100),
      titre: z.string().transform((t) => t.slice(0, MAX_TITLE)),
      limite: z.number().int().min(0).max(100_000).nullable().optional(),
      cartes: z.array(z.object({ id: z.string().min(1).max(100), titre: z.string().transform((t) => t.slice(0, MAX_TITLE)) })).max(1000),
    }),
  )
  .max(50);
