// The trial page's timeline reads the workflow's own plan and step names (onboarding.contract.ts): each state from a statutDetaillé answer.
import { describe, expect, it } from 'vitest';
import type { StatutOnboarding } from '../../temporal/workflows/onboarding.contract';
import { ONBOARDING_PLAN, timeline } from './status.server';

const statut = (over: Partial<StatutOnboarding>): StatutOnboarding => ({
  phase: 'inscription',
  emailsEnvoyés: [],
  fonctionnalitésActivées: [],
  jourÉcoulé: 0,
  souscrit: false,
  prochaineÉtape: null,
  démarréLe: '2026-11-01T00:00:00.000Z',
  emailsÉchoués: [],
  ...over,
});

describe('timeline', () => {
  it('shows the seed plan on its production days, keyed by the workflow’s step names', () => {
    expect(ONBOARDING_PLAN.map((s) => [s.day, s.key])).toEqual([
      [0, 'bienvenue'], [1, 'guide-démarrage'], [3, 'aide-activation'], [7, 'mi-parcours'], [12, 'dernier-rappel'], [14, 'fin-trial'],
    ]);
    expect(timeline(null).map((s) => s.state)).toEqual(Array(6).fill('upcoming'));
  });

  it('marks sent, skipped and next steps from the live status', () => {
    const st = statut({
      phase: 'conversion', jourÉcoulé: 12, emailsEnvoyés: ['bienvenue-trial', 'mi-parcours', 'dernier-rappel-trial'],
      prochaineÉtape: { étape: 'fin-trial', prévueLe: '2026-11-15T00:00:00.000Z' },
    });
    expect(timeline(st).map((s) => s.state)).toEqual(['sent', 'skipped', 'skipped', 'sent', 'sent', 'next']);
  });

  it('closes the last step once the trial converted or expired', () => {
    expect(timeline(statut({ phase: 'expiré', jourÉcoulé: 14 })).at(-1)?.state).toBe('sent');
    expect(timeline(statut({ phase: 'converti', jourÉcoulé: 2, souscrit: true })).map((s) => s.state)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'sent']);
  });

  it('shows a refused email as failed, never as sent or skipped', () => {
    const st = statut({ jourÉcoulé: 2, emailsÉchoués: ['bienvenue-trial'], emailsEnvoyés: [], prochaineÉtape: { étape: 'aide-activation', prévueLe: '2026-11-04T00:00:00.000Z' } });
    expect(timeline(st).map((s) => s.state)).toEqual(['failed', 'skipped', 'next', 'upcoming', 'upcoming', 'upcoming']);
  });

  it('offers no next step once the trial is closed', () => {
    const st = statut({ phase: 'converti', souscrit: true, jourÉcoulé: 5, prochaineÉtape: { étape: 'mi-parcours', prévueLe: '2026-11-08T00:00:00.000Z' } });
    expect(timeline(st).some((s) => s.state === 'next')).toBe(false);
  });

  it('marks the activation nudges skipped ahead of their day once a feature is activated', () => {
    const st = statut({ phase: 'activation', fonctionnalitésActivées: ['sync-hubspot'], emailsEnvoyés: ['bienvenue-trial'], prochaineÉtape: { étape: 'mi-parcours', prévueLe: '2026-11-08T00:00:00.000Z' } });
    const plan = timeline(st);
    expect(plan.map((s) => s.state)).toEqual(['sent', 'skipped', 'skipped', 'next', 'upcoming', 'upcoming']);
    expect(plan.map((s) => s.skipped)).toEqual([null, 'activated', 'activated', null, null, null]);
    // Completing onboarding counts as activation too.
    expect(timeline(statut({ phase: 'engagement', emailsEnvoyés: ['bienvenue-trial'] })).map((s) => s.skipped)).toEqual([null, 'activated', 'activated', null, null, null]);
  });

  it('marks every unsent step skipped once the user subscribed, before the run has closed', () => {
    const plan = timeline(statut({ phase: 'converti', souscrit: true, jourÉcoulé: 4, emailsEnvoyés: ['bienvenue-trial', 'guide-démarrage', 'aide-activation'] }));
    expect(plan.map((s) => s.state)).toEqual(['sent', 'sent', 'sent', 'skipped', 'skipped', 'sent']);
    expect(plan.slice(3, 5).map((s) => s.skipped)).toEqual(['subscribed', 'subscribed']);
  });

  it('on a run terminated mid-trial: no next step, the steps it will never reach skipped because it closed', () => {
    const st = statut({ jourÉcoulé: 2, emailsEnvoyés: ['bienvenue-trial'], prochaineÉtape: { étape: 'aide-activation', prévueLe: '2026-11-04T00:00:00.000Z' } });
    const plan = timeline(st, 'TERMINATED');
    expect(plan.map((s) => s.state)).toEqual(['sent', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(plan.map((s) => s.skipped)).toEqual([null, 'passed', 'closed', 'closed', 'closed', 'closed']);
    // The same run still running has a next step.
    expect(timeline(st, 'RUNNING')[2].state).toBe('next');
  });

  it('shows a refused expiry email on the last step as failed', () => {
    const st = statut({ phase: 'expiré', jourÉcoulé: 14, emailsEnvoyés: ['bienvenue-trial'], emailsÉchoués: ['trial-expiré'] });
    expect(timeline(st, 'COMPLETED').at(-1)).toMatchObject({ key: 'fin-trial', state: 'failed', skipped: null });
  });
});
