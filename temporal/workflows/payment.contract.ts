// The payment saga's contract with its clients, defined once: a name or id that drifted on one side would fail only in production.
import { defineQuery } from '@temporalio/workflow';
import type { Répartition } from '../../finance/money';

// Defined in wire-names.ts, which browser code imports without the SDK.
export { COMPENSATION_ACTIONS, PAYMENT_WORKFLOW_TYPE, paymentWorkflowId } from './wire-names';
import type { COMPENSATION_ACTIONS } from './wire-names';

export const STATUTS_SAGA = ['en_cours', 'réussie', 'compensée', 'compensation_incomplète', 'échouée'] as const;
export type StatutSaga = (typeof STATUTS_SAGA)[number];
export type NomÉtape = 'débiterAcheteur' | 'virerVendeur' | 'facturerAssurance';
export type ActionCompensation = (typeof COMPENSATION_ACTIONS)[number];

export interface ÉtapeJournal {
  étape: NomÉtape;
  statut: 'en_cours' | 'réussie' | 'échouée';
  idFournisseur?: string;
  à: string;
  erreur?: string;
}

export interface CompensationJournal {
  action: ActionCompensation;
  statut: 'réussie' | 'échouée';
  idFournisseur?: string;
  erreur?: string;
  à: string;
}

export interface JournalSaga {
  statut: StatutSaga;
  étapes: ÉtapeJournal[];
  compensations: CompensationJournal[];
  montants: Répartition | null;
  incidentId: string | null;
}

export interface EntréePaiement {
  tenantId: string;
  commandeId: string;
  acheteurId: string;
  vendeurId: string;
  /** Integer cents. */
  montantTotal: number;
}

export interface RésultatPaiement {
  statut: 'succès';
  chargeId: string;
  transfertId: string;
  factureId: string;
  montants: Répartition;
}

export const queryJournalSaga = defineQuery<JournalSaga, [], 'journalSaga'>('journalSaga');
