// Demo workflows for `npm start`: onboarding trials for DataSync's demo users and a few
// payment sagas for CraftMarket. Ids are deterministic, so a second run starts nothing new.
import { createTemporalClient, loadTemporalEnv } from '../../temporal/config';
import { startOnboarding, startPaymentSaga } from '../../temporal/starters';
import { DEMO_TRIAL_USERS } from '../../prisma/demo-data';
import type { DuréesOnboarding } from '../../temporal/workflows/onboarding.contract';

// Some demo trials run on a compressed clock (a "day" of a few minutes) so the console
// shows progress while you watch; the others follow the production schedule.
const FAST: Partial<DuréesOnboarding> = { j1: '2m', j3: '6m', j7: '14m', j12: '24m', j14: '28m', jour: '2m' };

export async function seedDemoWorkflows() {
  const env = loadTemporalEnv();
  const client = await createTemporalClient(env);
  try {
    for (const [i, u] of DEMO_TRIAL_USERS.entries()) {
      await startOnboarding(client, {
        tenantId: 'datasync', utilisateurId: u.id, email: u.email, prénom: u.name.split(' ')[0], planEssaiId: 'trial-14j',
        durées: i % 2 === 1 ? FAST : undefined,
      });
    }
    for (const [i, montantTotal] of [18_000, 24_550, 9_990].entries()) {
      const commandeId = `CM-${2001 + i}`;
      await startPaymentSaga(client, { tenantId: 'craftmarket', commandeId, acheteurId: `acheteur-${i + 1}`, vendeurId: `vendeur-${i + 1}`, montantTotal });
    }
    return { trials: DEMO_TRIAL_USERS.length, sagas: 3 };
  } finally {
    await client.connection.close();
  }
}
