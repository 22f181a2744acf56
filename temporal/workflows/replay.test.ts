// Replays the committed histories of every workflow path that matters (temporal/workflows/
// histories/, recorded by `npm run record:histories`) against today's workflow code: a change
// that would break workflows already running in production — a reordered activity, a new
// timer, a renamed signal — fails here, before it ships. Intended changes go behind patched().
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../worker';

const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'histories');
const EXPECTED = [
  'onboarding-activated-then-converted', 'onboarding-completed-early', 'onboarding-converted-in-inscription',
  'onboarding-expired', 'onboarding-signal-before-first-step', 'onboarding-welcome-email-refused',
  'payment-charge-declined', 'payment-compensation-failing', 'payment-insurance-refused',
  'payment-provider-timeout-then-success', 'payment-seller-account-invalid', 'payment-succeeded',
];

let workflowBundle: { code: string };
beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
}, 120_000);

describe('committed histories replay on today’s workflow code', () => {
  it('has a history for every path that matters', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort()).toEqual(EXPECTED);
  });

  it.each(EXPECTED)('%s', async (name) => {
    const { workflowId, ...history } = JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as { workflowId: string; events: unknown[] };
    expect(history.events.length).toBeGreaterThan(5);
    await Worker.runReplayHistory({ workflowBundle, replayName: name }, history, workflowId);
  });
});
