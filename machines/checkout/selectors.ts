import type { SnapshotFrom } from 'xstate';
import type { machineCheckout } from './machine';

type SnapshotCheckout = SnapshotFrom<typeof machineCheckout>;

// Derived from the machine's own guards (snapshot.can), so the UI never re-implements them.

/** The "retry" button: recoverable error and attempts left. */
export function peutRéessayer(snapshot: SnapshotCheckout): boolean {
  return snapshot.matches('erreurPaiement') && snapshot.can({ type: 'RÉESSAYER_PAIEMENT' });
}

/** The "use another payment method" button: attempts left, whatever the error. */
export function peutRevenirAuPaiement(snapshot: SnapshotCheckout): boolean {
  return snapshot.matches('erreurPaiement') && snapshot.can({ type: 'RETOUR_PAIEMENT' });
}

/** The non-retryable state: payment failed and nothing the shopper does here will re-submit it. */
export function paiementBloqué(snapshot: SnapshotCheckout): boolean {
  return snapshot.matches('erreurPaiement') && !peutRéessayer(snapshot) && !peutRevenirAuPaiement(snapshot);
}

/** The "confirm order" button; false during traitementPaiement, which is what prevents a double submit. */
export function peutConfirmerPaiement(snapshot: SnapshotCheckout): boolean {
  return snapshot.can({ type: 'CONFIRMER_PAIEMENT', méthodeId: 'vérification' });
}
