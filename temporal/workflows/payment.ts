// The marketplace payment saga of seed case 4, one workflow per order (`payment-<commandeId>`):
// charge the buyer, pay the seller (total minus 12 %), bill the buyers' insurance (0.5 %).
// Each success pushes its compensation; on failure they run in reverse order, in a
// non-cancellable scope, each retried by its own policy and journaled — a failed compensation
// is recorded, never swallowed. Steps and compensations also go to the ledger (activities).
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { PaymentActivities } from '../activities/payment';
import {
  CARTE_DÉCLINÉE,
  CARTE_DÉCLINÉE_PERMANENTE,
  COMPTE_VENDEUR_INVALIDE,
  CONFLIT_IDEMPOTENCE,
  DEFINITE_REFUSALS,
  ENTRÉE_INVALIDE,
  OPÉRATION_REFUSÉE,
  SAGA_PAIEMENT_ÉCHOUÉE,
} from './failure-types';
import { répartirMontant, type Répartition } from '../../finance/money';
import { chargeDescription, SAGA_KEYS, sagaFailureReason } from '../../finance/saga-keys';
import {
  queryJournalSaga,
  type ActionCompensation,
  type EntréePaiement,
  type JournalSaga,
  type NomÉtape,
  type RésultatPaiement,
  type ÉtapeJournal,
} from './payment.contract';
import { OrderId, SagaStatus, TenantId } from '../search-attributes';

const mouvements = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '45s',
  heartbeatTimeout: '10s',
  retry: {
    maximumAttempts: 4,
    backoffCoefficient: 2,
    initialInterval: '2s',
    nonRetryableErrorTypes: [CARTE_DÉCLINÉE_PERMANENTE, CARTE_DÉCLINÉE, COMPTE_VENDEUR_INVALIDE, OPÉRATION_REFUSÉE, CONFLIT_IDEMPOTENCE],
  },
});
// A compensation gets its own, longer policy before it is journaled as failed: undoing money matters more than speed.
const compensations = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '45s',
  heartbeatTimeout: '10s',
  retry: { maximumAttempts: 5, backoffCoefficient: 2, initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: [OPÉRATION_REFUSÉE, CONFLIT_IDEMPOTENCE] },
});
// Our own bookkeeping (saga row, incident): retried until PostgreSQL answers.
const registre = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export async function workflowPaiementMarketplace(params: EntréePaiement): Promise<RésultatPaiement> {
  const { tenantId, commandeId, acheteurId, vendeurId } = params;
  const info = workflowInfo();
  const workflowId = info.workflowId;
  const ref = { tenantId, workflowId, commandeId };

  const journal: JournalSaga = { statut: 'en_cours', étapes: [], compensations: [], montants: null, incidentId: null };
  // A copy, so a caller never holds the live journal.
  setHandler(queryJournalSaga, (): JournalSaga => JSON.parse(JSON.stringify(journal)));

  // Search attributes as last upserted, starting from what the starter set.
  const publiés = {
    tenant: info.typedSearchAttributes.get(TenantId),
    commande: info.typedSearchAttributes.get(OrderId),
    statut: info.typedSearchAttributes.get(SagaStatus),
  };
  const publierStatut = () => {
    const changements: SearchAttributeUpdatePair[] = [];
    if (publiés.tenant !== tenantId) changements.push({ key: TenantId, value: tenantId });
    if (publiés.commande !== commandeId) changements.push({ key: OrderId, value: commandeId });
    if (publiés.statut !== journal.statut) changements.push({ key: SagaStatus, value: journal.statut });
    if (changements.length === 0) return;
    upsertSearchAttributes(changements);
    Object.assign(publiés, { tenant: tenantId, commande: commandeId, statut: journal.statut });
  };

  let montants: Répartition;
  try {
    montants = répartirMontant(params.montantTotal);
  } catch (error) {
    journal.statut = 'échouée';
    publierStatut();
    throw ApplicationFailure.nonRetryable(`commande ${commandeId}: ${(error as Error).message}`, ENTRÉE_INVALIDE);
  }
  journal.montants = montants;
  publierStatut();

  const racine = CancellationScope.current();

  /**
   * A provider call in flight is never abandoned: cancelling the saga then would leave money
   * moved with no compensation pushed for it. Cancellation is honoured between steps instead;
   * one that arrives during the last step finds the payment complete, and it stands.
   */
  async function étape(nom: NomÉtape, exécuter: () => Promise<string>): Promise<string> {
    if (racine.consideredCancelled) throw new CancelledFailure(`saga annulée avant ${nom}`);
    const entrée: ÉtapeJournal = { étape: nom, statut: 'en_cours', à: maintenant() };
    journal.étapes.push(entrée);
    try {
      entrée.idFournisseur = await CancellationScope.nonCancellable(exécuter);
      entrée.statut = 'réussie';
      return entrée.idFournisseur;
    } catch (error) {
      entrée.statut = 'échouée';
      entrée.erreur = décrire(error);
      throw error;
    } finally {
      entrée.à = maintenant();
    }
  }

  const àCompenser: Array<{ action: ActionCompensation; exécuter: () => Promise<string> }> = [];
  const ids = { chargeId: null as string | null, transfertId: null as string | null, factureId: null as string | null };
  const raison = sagaFailureReason(commandeId);

  try {
    await registre.enregistrerSaga({ ...ref, acheteurId, vendeurId, répartition: montants });
    const chargeId = await étape('débiterAcheteur', () =>
      mouvements.débiterAcheteur({ ...ref, acheteurId, montant: montants.montantTotal, idempotencyKey: SAGA_KEYS.charge(commandeId), description: chargeDescription(commandeId) }),
    );
    ids.chargeId = chargeId;
    àCompenser.push({
      action: 'rembourserAcheteur',
      exécuter: () => compensations.rembourserAcheteur({ ...ref, chargeId, montant: montants.montantTotal, idempotencyKey: SAGA_KEYS.refund(commandeId), raison }),
    });

    const transfertId = await étape('virerVendeur', () =>
      mouvements.virerVendeur({ ...ref, vendeurId, montant: montants.montantVendeur, chargeId, idempotencyKey: SAGA_KEYS.transfer(commandeId) }),
    );
    ids.transfertId = transfertId;
    àCompenser.push({
      action: 'inverserTransfertVendeur',
      exécuter: () => compensations.inverserTransfertVendeur({ ...ref, transfertId, montant: montants.montantVendeur, idempotencyKey: SAGA_KEYS.transfer_reversal(commandeId), raison }),
    });

    const factureId = await étape('facturerAssurance', () =>
      mouvements.facturerAssurance({ ...ref, montant: montants.montantAssurance, idempotencyKey: SAGA_KEYS.insurance(commandeId) }),
    );
    ids.factureId = factureId;
    àCompenser.push({
      action: 'annulerFactureAssurance',
      exécuter: () => compensations.annulerFactureAssurance({ ...ref, factureId, montant: montants.montantAssurance, idempotencyKey: SAGA_KEYS.insurance_cancel(commandeId), raison }),
    });

    journal.statut = 'réussie';
    publierStatut();
    // The payment is complete: a cancellation now must not send it to the compensations.
    await CancellationScope.nonCancellable(() => registre.clôturerSaga({ ...ref, statut: journal.statut, journal, ...ids, erreur: null }));
    return { statut: 'succès', chargeId, transfertId, factureId, montants };
  } catch (erreur) {
    // Compensations must run to the end even when the saga itself is being cancelled.
    await CancellationScope.nonCancellable(async () => {
      for (const compensation of [...àCompenser].reverse()) {
        try {
          const id = await compensation.exécuter();
          journal.compensations.push({ action: compensation.action, statut: 'réussie', idFournisseur: id, à: maintenant() });
        } catch (e) {
          journal.compensations.push({ action: compensation.action, statut: 'échouée', erreur: décrire(e), à: maintenant() });
        }
      }
      const incomplète = journal.compensations.some((c) => c.statut === 'échouée');
      journal.statut = àCompenser.length === 0 ? 'échouée' : incomplète ? 'compensation_incomplète' : 'compensée';
      publierStatut();

      // Nothing asked of the provider, or a definite refusal before anything moved: an ordinary outcome, not a finance incident.
      const rienEnDoute = àCompenser.length === 0 && (journal.étapes.length === 0 || DEFINITE_REFUSALS.includes(typeÉchec(erreur) ?? ''));
      if (!rienEnDoute) {
        journal.incidentId = await registre.créerIncidentFinance({
          ...ref,
          erreurOriginale: décrire(erreur),
          étapeÉchouée: journal.étapes.find((e) => e.statut === 'échouée')?.étape ?? null,
          statutSaga: journal.statut,
          gravité: incomplète ? 'high' : 'normal',
          journalCompensation: journal.compensations,
          état: { ...ids, montants, étapes: journal.étapes },
        });
      }
      await registre.clôturerSaga({ ...ref, statut: journal.statut, journal, ...ids, erreur: décrire(erreur) });
    });
    if (isCancellation(erreur)) throw erreur;
    throw ApplicationFailure.nonRetryable(
      `Saga paiement échouée — commande ${commandeId} (${journal.statut}).${journal.incidentId ? ` Incident finance ${journal.incidentId}.` : ''}`,
      SAGA_PAIEMENT_ÉCHOUÉE,
      { statut: journal.statut, incidentId: journal.incidentId },
    );
  }
}

const maintenant = () => new Date().toISOString();

function typeÉchec(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined;
}

/** The failure as finance reads it: the provider's answer, not Temporal's wrapping. */
function décrire(error: unknown): string {
  if (error instanceof ActivityFailure) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
    if (cause) return `${cause.name}: ${cause.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
