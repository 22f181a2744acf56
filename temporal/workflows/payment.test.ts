// The payment saga against the real Temporal dev server and PostgreSQL, with the local
// payment provider told to fail where each scenario needs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { injectFault, type FaultSpec } from '../../ports/faults';
import { OrderId, SagaStatus, TenantId } from '../search-attributes';
import { startPaymentSaga } from '../starters';
import { uid } from '../../test-support/ids';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';
import type { workflowPaiementMarketplace } from './payment';
import { queryJournalSaga } from './payment.contract';
import { SAGA_KEYS } from '../../finance/saga-keys';

type Handle = WorkflowHandle<typeof workflowPaiementMarketplace>;

let s: TestStack;
const tenantId = uid('t-payment');

beforeAll(async () => {
  s = await startTestStack('payment');
});
afterAll(async () => {
  await s?.close();
});

/** Starts a saga; faults are armed first, so none can miss the step it targets. */
async function démarrer(montantTotal = 18_000, fautes: Array<Omit<FaultSpec, 'target'>> = []) {
  const commandeId = uid('cmd');
  const ids: bigint[] = [];
  for (const f of fautes) ids.push(await injectFault(s.db, { ...f, target: commandeId }));
  const h = await startPaymentSaga(s.client, { tenantId, commandeId, acheteurId: uid('cus'), vendeurId: uid('acct'), montantTotal }, { taskQueue: s.taskQueue });
  return { h, commandeId, fautes: ids };
}

/** The saga's final failure: SagaPaiementÉchouée, with its status and incident in the details. */
async function échec(h: Handle) {
  const error = await h.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const ledger = (commandeId: string) =>
  s.db.ledgerEntry.findMany({ where: { orderId: commandeId }, orderBy: { id: 'asc' }, select: { kind: true, status: true, amountCents: true, attempts: true, idempotencyKey: true, providerId: true } });

async function attributs(h: Handle) {
  const { typedSearchAttributes: sa } = await h.describe();
  return { tenant: sa.get(TenantId), commande: sa.get(OrderId), statut: sa.get(SagaStatus) };
}

/** Attempt numbers of an activity type, from the workflow history. */
async function tentatives(h: Handle, activityType: string): Promise<number[]> {
  const events = (await h.fetchHistory()).events ?? [];
  const scheduled = new Map<string, string>();
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) scheduled.set(String(e.eventId), a.activityType?.name ?? '');
  }
  return events
    .filter((e): e is temporal.api.history.v1.IHistoryEvent & { activityTaskStartedEventAttributes: temporal.api.history.v1.IActivityTaskStartedEventAttributes } => Boolean(e.activityTaskStartedEventAttributes))
    .filter((e) => scheduled.get(String(e.activityTaskStartedEventAttributes.scheduledEventId)) === activityType)
    .map((e) => e.activityTaskStartedEventAttributes.attempt ?? 0);
}

describe.concurrent('workflowPaiementMarketplace', () => {
  it('charges the buyer, pays the seller minus 12 %, bills 0.5 % insurance, and journals and ledgers each step', async () => {
    const { h, commandeId } = await démarrer(18_000);
    const résultat = await h.result();
    expect(résultat).toMatchObject({ statut: 'succès', montants: { montantTotal: 18_000, commission: 2_160, montantVendeur: 15_840, montantAssurance: 90 } });

    const journal = await h.query(queryJournalSaga);
    expect(journal.statut).toBe('réussie');
    expect(journal.compensations).toEqual([]);
    expect(journal.incidentId).toBeNull();
    expect(journal.étapes.map((e) => [e.étape, e.statut, e.idFournisseur])).toEqual([
      ['débiterAcheteur', 'réussie', résultat.chargeId],
      ['virerVendeur', 'réussie', résultat.transfertId],
      ['facturerAssurance', 'réussie', résultat.factureId],
    ]);
    for (const e of journal.étapes) expect(new Date(e.à).toISOString()).toBe(e.à);

    expect(await ledger(commandeId)).toEqual([
      { kind: 'charge', status: 'succeeded', amountCents: 18_000, attempts: 1, idempotencyKey: SAGA_KEYS.charge(commandeId), providerId: résultat.chargeId },
      { kind: 'transfer', status: 'succeeded', amountCents: 15_840, attempts: 1, idempotencyKey: SAGA_KEYS.transfer(commandeId), providerId: résultat.transfertId },
      { kind: 'insurance', status: 'succeeded', amountCents: 90, attempts: 1, idempotencyKey: SAGA_KEYS.insurance(commandeId), providerId: résultat.factureId },
    ]);
    const transfert = await s.db.providerObject.findUniqueOrThrow({ where: { id: résultat.transfertId } });
    expect(transfert.sourceId).toBe(résultat.chargeId);
    expect(await s.db.paymentSaga.findUniqueOrThrow({ where: { orderId: commandeId } })).toMatchObject({
      tenantId,
      status: 'succeeded',
      totalCents: 18_000,
      sellerCents: 15_840,
      commissionCents: 2_160,
      insuranceCents: 90,
      chargeId: résultat.chargeId,
      transferId: résultat.transfertId,
      insuranceId: résultat.factureId,
      endedAt: expect.any(Date),
    });
    expect(await s.db.financeIncident.count({ where: { orderId: commandeId } })).toBe(0);
    expect(await attributs(h)).toEqual({ tenant: tenantId, commande: commandeId, statut: 'réussie' });

    // A repeated start is the same saga: nothing is charged twice.
    const encore = await startPaymentSaga(s.client, { tenantId, commandeId, acheteurId: 'x', vendeurId: 'y', montantTotal: 18_000 }, { taskQueue: s.taskQueue });
    expect((await encore.describe()).runId).toBe((await h.describe()).runId);
    expect(await s.db.providerObject.count({ where: { orderId: commandeId, kind: 'charge' } })).toBe(1);
  });

  it('journals the saga while it runs', async () => {
    const { h, commandeId } = await démarrer(18_000, [{ operation: 'transfer', mode: 'delay', times: 1, delayMs: 1_500 }]);
    await waitFor('transfer in flight', async () => (await s.db.ledgerEntry.findUnique({ where: { idempotencyKey: SAGA_KEYS.transfer(commandeId) } }))?.status === 'pending', 20_000, 50);
    const enCours = await h.query(queryJournalSaga);
    expect(enCours.statut).toBe('en_cours');
    expect(enCours.étapes.map((e) => [e.étape, e.statut])).toEqual([
      ['débiterAcheteur', 'réussie'],
      ['virerVendeur', 'en_cours'],
    ]);
    expect((await attributs(h)).statut).toBe('en_cours');
    await h.result();
    expect((await h.query(queryJournalSaga)).statut).toBe('réussie');
  });

  it('does not retry a permanently declined card, compensates nothing and opens no incident', async () => {
    const { h, commandeId, fautes: [faute] } = await démarrer(18_000, [{ operation: 'charge', mode: 'decline' }]);
    const cause = await échec(h);
    expect(cause.type).toBe('SagaPaiementÉchouée');
    expect(cause.details).toEqual([{ statut: 'échouée', incidentId: null }]);

    expect(await tentatives(h, 'débiterAcheteur')).toEqual([1]);
    expect((await s.db.providerFault.findUniqueOrThrow({ where: { id: faute } })).hits).toBe(1);
    const journal = await h.query(queryJournalSaga);
    expect(journal).toMatchObject({ statut: 'échouée', compensations: [] });
    expect(journal.étapes).toEqual([expect.objectContaining({ étape: 'débiterAcheteur', statut: 'échouée', erreur: expect.stringContaining('CarteDéclinéePermanente') })]);
    expect(await ledger(commandeId)).toEqual([expect.objectContaining({ kind: 'charge', status: 'failed', attempts: 1 })]);
    expect(await s.db.financeIncident.count({ where: { orderId: commandeId } })).toBe(0);
    expect((await s.db.paymentSaga.findUniqueOrThrow({ where: { orderId: commandeId } })).status).toBe('failed');
    expect((await attributs(h)).statut).toBe('échouée');
  });

  it('fails at the charge after retries when the provider never answers, and opens an incident for the charge in doubt', async () => {
    const { h, commandeId } = await démarrer(18_000, [{ operation: 'charge', mode: 'timeout' }]);
    const cause = await échec(h);
    expect(cause.type).toBe('SagaPaiementÉchouée');

    expect(await tentatives(h, 'débiterAcheteur')).toEqual([4]);
    const journal = await h.query(queryJournalSaga);
    expect(journal).toMatchObject({ statut: 'échouée', compensations: [] });
    expect(journal.incidentId).toEqual(expect.any(String));
    const incident = await s.db.financeIncident.findUniqueOrThrow({ where: { id: journal.incidentId! } });
    expect(incident).toMatchObject({ tenantId, orderId: commandeId, status: 'open', severity: 'normal', failedStep: 'débiterAcheteur', sagaStatus: 'failed', workflowId: h.workflowId });
    expect(incident.originalError).toContain('injected timeout');
    // Asked, never answered: the ledger says so rather than "failed".
    expect(await ledger(commandeId)).toEqual([expect.objectContaining({ kind: 'charge', status: 'pending', attempts: 4 })]);
  });

  it('refunds the buyer when the seller account is invalid at the transfer', async () => {
    const { h, commandeId } = await démarrer(18_000, [{ operation: 'transfer', mode: 'invalid_account' }]);
    await échec(h);

    expect(await tentatives(h, 'virerVendeur')).toEqual([1]);
    const journal = await h.query(queryJournalSaga);
    expect(journal.statut).toBe('compensée');
    expect(journal.étapes.map((e) => [e.étape, e.statut])).toEqual([
      ['débiterAcheteur', 'réussie'],
      ['virerVendeur', 'échouée'],
    ]);
    expect(journal.étapes[1]!.erreur).toContain('CompteVendeurInvalide');
    expect(journal.compensations.map((c) => [c.action, c.statut])).toEqual([['rembourserAcheteur', 'réussie']]);

    expect((await ledger(commandeId)).map((l) => [l.kind, l.status, l.amountCents])).toEqual([
      ['charge', 'succeeded', 18_000],
      ['transfer', 'failed', 15_840],
      ['refund', 'succeeded', 18_000],
    ]);
    const refund = await s.db.providerObject.findUniqueOrThrow({ where: { idempotencyKey: SAGA_KEYS.refund(commandeId) } });
    expect(refund).toMatchObject({ kind: 'refund', status: 'succeeded', sourceId: journal.étapes[0]!.idFournisseur, amountCents: 18_000 });
    const incident = await s.db.financeIncident.findUniqueOrThrow({ where: { id: journal.incidentId! } });
    expect(incident).toMatchObject({ severity: 'normal', failedStep: 'virerVendeur', sagaStatus: 'compensated', status: 'open' });
    expect(incident.compensationJournal).toEqual(journal.compensations);
    expect(incident.state).toMatchObject({ chargeId: journal.étapes[0]!.idFournisseur, transfertId: null, factureId: null });
    expect((await attributs(h)).statut).toBe('compensée');
    expect((await s.db.paymentSaga.findUniqueOrThrow({ where: { orderId: commandeId } })).status).toBe('compensated');
  });

  it('reverses the transfer, then refunds the buyer, when insurance billing fails', async () => {
    const { h, commandeId } = await démarrer(18_000, [{ operation: 'bill_insurance', mode: 'decline' }]);
    await échec(h);

    const journal = await h.query(queryJournalSaga);
    expect(journal.statut).toBe('compensée');
    expect(journal.étapes.map((e) => e.statut)).toEqual(['réussie', 'réussie', 'échouée']);
    expect(journal.étapes[2]!.erreur).toContain('OpérationRefusée');
    expect(journal.compensations.map((c) => [c.action, c.statut])).toEqual([
      ['inverserTransfertVendeur', 'réussie'],
      ['rembourserAcheteur', 'réussie'],
    ]);
    expect((await ledger(commandeId)).map((l) => [l.kind, l.status, l.amountCents])).toEqual([
      ['charge', 'succeeded', 18_000],
      ['transfer', 'succeeded', 15_840],
      ['insurance', 'failed', 90],
      ['transfer_reversal', 'succeeded', 15_840],
      ['refund', 'succeeded', 18_000],
    ]);
    const reversal = await s.db.providerObject.findUniqueOrThrow({ where: { idempotencyKey: SAGA_KEYS.transfer_reversal(commandeId) } });
    expect(reversal.sourceId).toBe(journal.étapes[1]!.idFournisseur);
    expect(await s.db.financeIncident.findUniqueOrThrow({ where: { id: journal.incidentId! } })).toMatchObject({ failedStep: 'facturerAssurance', severity: 'normal' });
  });

  it('retries a failing compensation by its policy, journals it as failed, still runs the next one, and opens a high-severity incident', async () => {
    const { h, commandeId } = await démarrer(18_000, [{ operation: 'bill_insurance', mode: 'reject' }, { operation: 'reverse_transfer', mode: 'timeout' }]);
    const cause = await échec(h);

    const journal = await h.query(queryJournalSaga);
    expect(journal.statut).toBe('compensation_incomplète');
    expect(cause.details).toEqual([{ statut: 'compensation_incomplète', incidentId: journal.incidentId }]);
    expect(journal.compensations.map((c) => [c.action, c.statut])).toEqual([
      ['inverserTransfertVendeur', 'échouée'],
      ['rembourserAcheteur', 'réussie'],
    ]);
    expect(journal.compensations[0]!.erreur).toContain('injected timeout');
    expect(await tentatives(h, 'inverserTransfertVendeur')).toEqual([5]);
    expect(await ledger(commandeId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'transfer_reversal', status: 'pending', attempts: 5 }), expect.objectContaining({ kind: 'refund', status: 'succeeded' })]),
    );
    const incident = await s.db.financeIncident.findUniqueOrThrow({ where: { id: journal.incidentId! } });
    expect(incident).toMatchObject({ severity: 'high', sagaStatus: 'compensation_incomplete', status: 'open', failedStep: 'facturerAssurance' });
    expect(incident.compensationJournal).toEqual(journal.compensations);
    expect((await attributs(h)).statut).toBe('compensation_incomplète');
    expect((await s.db.paymentSaga.findUniqueOrThrow({ where: { orderId: commandeId } })).status).toBe('compensation_incomplete');
  });

  it('leaves exactly one charge at the provider when the answer to the first charge is lost', async () => {
    const { h, commandeId, fautes: [faute] } = await démarrer(18_000, [{ operation: 'charge', mode: 'lost_answer', times: 1 }]);
    const résultat = await h.result();
    expect((await s.db.providerFault.findUniqueOrThrow({ where: { id: faute } })).hits).toBe(1);
    expect(await tentatives(h, 'débiterAcheteur')).toEqual([2]);
    const charges = await s.db.providerObject.findMany({ where: { orderId: commandeId, kind: 'charge' } });
    expect(charges.map((c) => c.id)).toEqual([résultat.chargeId]);
    expect(await ledger(commandeId)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'charge', status: 'succeeded', attempts: 2, providerId: résultat.chargeId })]));
    expect((await h.query(queryJournalSaga)).statut).toBe('réussie');
  });

  it('lets a transfer in flight finish when the saga is cancelled, then compensates it and the charge', async () => {
    const { h, commandeId } = await démarrer(18_000, [{ operation: 'transfer', mode: 'delay', times: 1, delayMs: 1_500 }]);
    await waitFor('transfer in flight', async () => (await s.db.ledgerEntry.findUnique({ where: { idempotencyKey: SAGA_KEYS.transfer(commandeId) } }))?.status === 'pending', 20_000, 50);
    await h.cancel();
    const error = await h.result().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect((await h.describe()).status.name).toBe('CANCELLED');

    const journal = await h.query(queryJournalSaga);
    expect(journal.statut).toBe('compensée');
    expect(journal.étapes.map((e) => [e.étape, e.statut])).toEqual([
      ['débiterAcheteur', 'réussie'],
      ['virerVendeur', 'réussie'],
    ]);
    expect(journal.compensations.map((c) => [c.action, c.statut])).toEqual([
      ['inverserTransfertVendeur', 'réussie'],
      ['rembourserAcheteur', 'réussie'],
    ]);
    expect((await ledger(commandeId)).map((l) => [l.kind, l.status])).toEqual([
      ['charge', 'succeeded'],
      ['transfer', 'succeeded'],
      ['transfer_reversal', 'succeeded'],
      ['refund', 'succeeded'],
    ]);
    expect(await s.db.providerObject.count({ where: { orderId: commandeId, kind: 'insurance' } })).toBe(0);
  });

  it('refuses an amount that is not integer cents before touching the provider', async () => {
    const { h, commandeId } = await démarrer(12.5);
    const cause = await échec(h);
    expect(cause.type).toBe('EntréeInvalide');
    expect((await h.query(queryJournalSaga)).statut).toBe('échouée');
    expect(await s.db.ledgerEntry.count({ where: { orderId: commandeId } })).toBe(0);
    expect((await attributs(h)).statut).toBe('échouée');
  });
});
