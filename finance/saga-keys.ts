// The saga's keys and reason, once: the provider refuses a known key sent with other parameters (pure: workflows import it).

/** The key of each ledger movement the saga makes for an order, by ledger kind. */
export const SAGA_KEYS = {
  charge: (commandeId: string) => `charge-${commandeId}`,
  transfer: (commandeId: string) => `transfert-${commandeId}`,
  insurance: (commandeId: string) => `assurance-${commandeId}`,
  refund: (commandeId: string) => `remboursement-${commandeId}`,
  transfer_reversal: (commandeId: string) => `inversion-transfert-${commandeId}`,
  insurance_cancel: (commandeId: string) => `annulation-assurance-${commandeId}`,
} as const;

/** One finance incident per order, however often the activity that opens it is retried. */
export const incidentKey = (commandeId: string) => `incident-${commandeId}`;

/** The reason every compensation of a failed saga sends to the provider. */
export const sagaFailureReason = (commandeId: string) => `Saga échec — commande ${commandeId}`;

/** The charge's description at the provider, sent with its key. */
export const chargeDescription = (commandeId: string) => `Commande #${commandeId}`;
