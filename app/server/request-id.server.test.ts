// One request id from the console to the worker: a support agent's signal, sent while serving a
// request, is logged by the console with the request's id, written in its audit row, carried in
// the signal's Temporal header, and the activities it causes log the same id — those that ran
// before it do not. The SDK's own lines reach the same JSON logs; a business outcome is one info line.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { createLogger } from '../../ops/log/logger.js';
import { requestContext } from '../../ops/log/request-id.js';
import { logTo } from './log.server';
import { sendTrialSignal, trialSignalForm } from '../trials/signal.server';
import { startOnboarding } from '../../temporal/starters';
import { DURÉES_PRODUCTION } from '../../temporal/workflows/onboarding.contract';
import { REQUEST_ID_HEADER } from '../../temporal/workflows/wire-names';
import { SAGA_PAIEMENT_ÉCHOUÉE } from '../../temporal/workflows/failure-types';
import { PinoSdkLogger } from '../../temporal/worker-logger';
import { makeTenantContext, testDb, uid } from '../../test-support/factories';
import { startTestStack, waitFor, type TestStack } from '../../test-support/temporal';

type Line = Record<string, unknown> & { msg: string; level: string };
const lines = (into: Line[]) => new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const l of chunk.toString().split('\n')) if (l.trim()) into.push(JSON.parse(l) as Line);
    done();
  },
});

const consoleLines: Line[] = [];
const workerLines: Line[] = [];
let s: TestStack;

beforeAll(async () => {
  // The worker's runtime logger, installed before anything else in this process uses the runtime.
  Runtime.install({ logger: new PinoSdkLogger(createLogger('worker', { destination: lines(workerLines) })) });
  logTo(lines(consoleLines));
  s = await startTestStack('reqid');
});
afterAll(async () => {
  await s?.close();
});

describe('the request id', () => {
  it('goes from the console request to its log line, its audit row, the signal and the activities it causes', async () => {
    const { tenant, ctx } = await makeTenantContext('support');
    const userId = uid('u');
    await testDb().trialUser.create({ data: { id: userId, tenantId: tenant.id, email: `${userId}@example.test`, name: 'Req Id' } });
    const h = await startOnboarding(s.client, { tenantId: tenant.id, utilisateurId: userId, email: `${userId}@example.test`, prénom: 'Ida', planEssaiId: 'trial-14j', durées: DURÉES_PRODUCTION }, { taskQueue: s.taskQueue });
    await waitFor('the welcome email', async () => workerLines.some((l) => l.msg === 'activity completed' && l.workflowId === h.workflowId && l.activityType === 'envoyerEmail'));

    const requestId = `req-${uid()}`;
    const form = trialSignalForm.parse({ idempotencyKey: `key-${uid()}-${uid()}`, signal: 'abonnementSouscrit', planId: 'pro', montant: '49,00' });
    const result = await requestContext.run({ requestId }, () => sendTrialSignal(ctx, userId, form));
    expect(result).toMatchObject({ ok: true });

    // The console: one action line with the id, and the audit row.
    const action = consoleLines.filter((l) => l.msg === 'action' && l.requestId === requestId);
    expect(action).toHaveLength(1);
    expect(action[0]).toMatchObject({ service: 'console', level: 'info', tenantId: tenant.id, action: 'signal:abonnementSouscrit', outcome: 'ok' });
    expect(await testDb().auditLog.count({ where: { tenantId: tenant.id, requestId, action: 'signal:abonnementSouscrit', outcome: 'ok' } })).toBe(1);

    // Temporal: the signal carries it.
    const signalled = ((await h.fetchHistory()).events ?? []).find((e) => e.workflowExecutionSignaledEventAttributes);
    const header = signalled?.workflowExecutionSignaledEventAttributes?.header?.fields?.[REQUEST_ID_HEADER];
    expect(header && JSON.parse(Buffer.from(header.data!).toString())).toBe(requestId);

    // The worker: the conversion the signal caused logs the same id; the welcome email before it has none.
    await h.result();
    const caused = workerLines.filter((l) => l.requestId === requestId);
    expect(caused.map((l) => l.activityType)).toContain('enregistrerConversion');
    expect(caused.every((l) => l.service === 'worker' && l.workflowId === h.workflowId)).toBe(true);
    const welcome = workerLines.filter((l) => l.msg === 'activity completed' && l.workflowId === h.workflowId && l.activityType === 'envoyerEmail');
    expect(welcome.length).toBeGreaterThan(0);
    expect(welcome.every((l) => l.requestId === undefined)).toBe(true);
  });

  it('a business outcome is one info line with its type, without a stack; anything else keeps its level and error', () => {
    const out: Line[] = [];
    const logger = new PinoSdkLogger(createLogger('worker', { destination: lines(out) }));
    logger.warn('Workflow failed', { error: ApplicationFailure.nonRetryable('Saga paiement échouée: CM-1', SAGA_PAIEMENT_ÉCHOUÉE), workflowId: 'payment-CM-1', sdkComponent: 'worker' });
    logger.warn('Activity failed', { error: ApplicationFailure.nonRetryable('conflict', 'ConflitIdempotence'), workflowId: 'payment-CM-2' });
    logger.warn('Activity failed', { error: new Error('socket hang up'), workflowId: 'payment-CM-3' });
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ level: 'info', msg: 'workflow ended in a business outcome', outcome: SAGA_PAIEMENT_ÉCHOUÉE, reason: 'Saga paiement échouée: CM-1', workflowId: 'payment-CM-1' });
    expect(JSON.stringify(out[0])).not.toMatch(/stack|sdkComponent/);
    expect(out[1]).toMatchObject({ level: 'warn', msg: 'Activity failed', failureType: 'ConflitIdempotence', err: { message: 'conflict' } });
    expect(out[2]).toMatchObject({ level: 'warn', msg: 'Activity failed', err: { message: 'socket hang up' } });
    expect(String((out[2].err as { stack?: string }).stack)).toContain('socket hang up');
  });
});
