// The idempotency key a browser machine puts on a request that has an effect on the server
// (checkout payment, kanban card move). The one definition of its format and header: the
// machines make keys here, the endpoints check them here (through machines/index.ts).
//
// A key is made once per attempt and kept in the machine's context, so it is in the persisted
// snapshot: a restore re-runs the request in flight (xstate restarts the invoke) with the same
// key, and the server answers it as it answered the first time. When a new key is made is each
// machine's rule (machines/README.md, "Idempotency keys").

/** The HTTP header that carries the key (Stripe's name for it). */
export const EN_TÊTE_IDEMPOTENCE = 'Idempotency-Key';

/** What the key is for; it starts the key, so a key of one kind is refused where another is expected. */
export type PortéeClé = 'paiement' | 'deplacement';

const UUID_V4 = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const FORMAT: Record<PortéeClé, RegExp> = {
  paiement: new RegExp(`^paiement-${UUID_V4}$`),
  deplacement: new RegExp(`^deplacement-${UUID_V4}$`),
};

/** `<portée>-<random UUID v4>`, e.g. `paiement-3b241101-e2bb-4255-8caf-4136c566a962`: ASCII, so a header carries it as is. */
export function nouvelleCléIdempotence(portée: PortéeClé): string {
  return `${portée}-${globalThis.crypto.randomUUID()}`;
}

/** Whether `valeur` is a key made by nouvelleCléIdempotence(portée). */
export function estCléIdempotence(valeur: unknown, portée: PortéeClé): valeur is string {
  return typeof valeur === 'string' && FORMAT[portée].test(valeur);
}
