// The activities called directly (as a retry would call them again) against the real
// PostgreSQL and the local stand-ins: the email's insert-then-send record and the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { createPrismaClient, type Db } from '../../prisma/db';
import { injectFault } from '../../ports/faults';
import { LocalPaymentGateway } from '../../ports/local-gateway';
import { LocalMailer } from '../../ports/local-mailer';
import { LocalSalesAlerter } from '../../ports/local-sales-alerter';
import { uid } from '../../test-support/ids';
import { createActivities, type Activities } from './index';
import { SAGA_KEYS } from '../../finance/saga-keys';
import { paymentWorkflowId } from '../workflows/payment.contract';

let db: Db;
let activities: Activities;

beforeAll(() => {
  db = createPrismaClient(process.env.DATABASE_URL!);
  activities = createActivities({ db, payments: new LocalPaymentGateway(db), mailer: new LocalMailer(db), sales: new LocalSalesAlerter(db) });
});
afterAll(async () => {
  await db?.$disconnect();
});

function email(template = 'bienvenue-trial') {
  const workflowId = uid('onboarding-u');
  return { tenantId: 't-activities', workflowId, à: 'camille@example.test', template, variables: { prénom: 'Camille' }, idempotencyKey: `${workflowId}:${template}` };
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('envoyerEmail', () => {
  it('does not call the provider again once the delivery is recorded as sent', async () => {
    const input = email();
    const first = await activities.envoyerEmail(input);
    expect(first.déjàEnvoyé).toBe(false);
    const again = await activities.envoyerEmail(input);
    expect(again).toEqual({ messageId: first.messageId, déjàEnvoyé: true });
    expect(await db.localMailMessage.findMany({ where: { idempotencyKey: input.idempotencyKey }, select: { requestCount: true, subject: true } })).toEqual([
      { requestCount: 1, subject: 'Bienvenue dans votre essai' },
    ]);
    expect(await db.emailDelivery.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } })).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: first.messageId });
  });

  it('closes the sent-but-unrecorded window with the provider idempotency key', async () => {
    const input = email('mi-parcours');
    await injectFault(db, { operation: 'mail.send', mode: 'lost_answer', target: input.idempotencyKey, times: 1 });
    await expect(activities.envoyerEmail(input)).rejects.toThrow(/connection reset/);
    expect(await db.emailDelivery.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } })).toMatchObject({ status: 'sending' });
    const retry = await activities.envoyerEmail(input);
    const [message] = await db.localMailMessage.findMany({ where: { idempotencyKey: input.idempotencyKey } });
    expect(retry).toEqual({ messageId: message!.id, déjàEnvoyé: false });
    expect(message!.requestCount).toBe(2);
  });

  it('fails for good, without retry, on a refused address or an unknown template', async () => {
    const refused = email('guide-démarrage');
    await injectFault(db, { operation: 'mail.send', mode: 'reject', target: refused.idempotencyKey });
    const f = await failure(activities.envoyerEmail(refused));
    expect(f).toMatchObject({ type: 'EmailRejeté', nonRetryable: true });
    expect(await db.emailDelivery.findUniqueOrThrow({ where: { idempotencyKey: refused.idempotencyKey } })).toMatchObject({ status: 'failed' });

    const unknown = email('modèle-inconnu');
    expect(await failure(activities.envoyerEmail(unknown))).toMatchObject({ type: 'EmailRejeté', nonRetryable: true });
    expect(await db.emailDelivery.count({ where: { idempotencyKey: unknown.idempotencyKey } })).toBe(0);
  });
});

describe('payment activities', () => {
  const ref = () => {
    const commandeId = uid('cmd');
    return { tenantId: 't-activities', workflowId: paymentWorkflowId(commandeId), commandeId };
  };

  it('ledgers a charge as pending while in doubt and settles it on the answer', async () => {
    const r = ref();
    await injectFault(db, { operation: 'charge', mode: 'timeout', target: r.commandeId, times: 1 });
    const input = { ...r, acheteurId: 'cus_1', montant: 5_000, idempotencyKey: SAGA_KEYS.charge(r.commandeId), description: 'x' };
    expect(await failure(activities.débiterAcheteur(input))).toMatchObject({ type: 'ErreurFournisseurTransitoire', nonRetryable: false });
    expect(await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } })).toMatchObject({ status: 'pending', attempts: 1, amountCents: 5_000, kind: 'charge' });
    const id = await activities.débiterAcheteur(input);
    expect(await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } })).toMatchObject({ status: 'succeeded', attempts: 2, providerId: id, error: null });
  });

  it('maps definite refusals to the seed failure types and ledgers them as failed', async () => {
    const r = ref();
    await injectFault(db, { operation: 'charge', mode: 'decline', target: r.commandeId });
    const key = SAGA_KEYS.charge(r.commandeId);
    expect(await failure(activities.débiterAcheteur({ ...r, acheteurId: 'cus_1', montant: 5_000, idempotencyKey: key, description: 'x' }))).toMatchObject({
      type: 'CarteDéclinéePermanente',
      nonRetryable: true,
    });
    expect((await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: key } })).status).toBe('failed');

    const r2 = ref();
    const chargeId = await activities.débiterAcheteur({ ...r2, acheteurId: 'cus_1', montant: 5_000, idempotencyKey: SAGA_KEYS.charge(r2.commandeId), description: 'x' });
    await injectFault(db, { operation: 'transfer', mode: 'invalid_account', target: r2.commandeId });
    expect(await failure(activities.virerVendeur({ ...r2, vendeurId: 'acct_x', montant: 4_400, chargeId, idempotencyKey: SAGA_KEYS.transfer(r2.commandeId) }))).toMatchObject({
      type: 'CompteVendeurInvalide',
      nonRetryable: true,
    });
  });

  it('opens one finance incident per order, however often it is asked', async () => {
    const r = ref();
    const input = { ...r, erreurOriginale: 'x', étapeÉchouée: 'virerVendeur', statutSaga: 'compensée' as const, gravité: 'normal' as const, journalCompensation: [], état: { chargeId: 'ch_1' } };
    const first = await activities.créerIncidentFinance(input);
    expect(await activities.créerIncidentFinance(input)).toBe(first);
    expect(await db.financeIncident.count({ where: { orderId: r.commandeId } })).toBe(1);
    // The workflow's French status is stored in English (finance/saga-status.ts).
    expect((await db.financeIncident.findUniqueOrThrow({ where: { id: first } })).sagaStatus).toBe('compensated');
  });

  it('stores the saga row under order_id with the status in English; the journal keeps the wire', async () => {
    const r = ref();
    const répartition = { montantTotal: 18_000, montantVendeur: 15_840, commission: 2_160, montantAssurance: 90 };
    await activities.enregistrerSaga({ ...r, acheteurId: 'cus_1', vendeurId: 'acct_1', répartition });
    expect(await db.paymentSaga.findUniqueOrThrow({ where: { orderId: r.commandeId } })).toMatchObject({ tenantId: r.tenantId, status: 'running' });
    const journal = { statut: 'compensation_incomplète', étapes: [], compensations: [], montants: répartition, incidentId: null };
    await activities.clôturerSaga({ ...r, statut: 'compensation_incomplète', journal, chargeId: 'ch_1', transfertId: null, factureId: null, erreur: 'x' });
    const row = await db.paymentSaga.findUniqueOrThrow({ where: { orderId: r.commandeId } });
    expect(row).toMatchObject({ status: 'compensation_incomplete', journal: { statut: 'compensation_incomplète' }, chargeId: 'ch_1' });
    await expect(activities.clôturerSaga({ ...r, statut: 'perdue' as never, journal, chargeId: null, transfertId: null, factureId: null, erreur: null })).rejects.toThrow(/unknown saga status/);
  });
});
