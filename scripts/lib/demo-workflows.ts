// Demo workflows for `npm start`: onboarding trials for DataSync's demo users and a few
// payment sagas for CraftMarket. Ids are deterministic, so a second run starts nothing new.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { createTemporalClient, loadTemporalEnv } from '../../temporal/config';
import { TenantId, OrderId } from '../../temporal/search-attributes';
import { DEMO_TRIAL_USERS } from '../../prisma/demo-data';

export async function seedDemoWorkflows() {
  const env = loadTemporalEnv();
  const client = await createTemporalClient(env);
  let started = 0;
  let existing = 0;
  const start = async (type: string, workflowId: string, arg: unknown, attrs: Parameters<typeof client.workflow.start>[1]['typedSearchAttributes']) => {
    try {
      await client.workflow.start(type, { taskQueue: env.TEMPORAL_TASK_QUEUE, workflowId, args: [arg], typedSearchAttributes: attrs });
      started++;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      existing++;
    }
  };
  try {
    for (const u of DEMO_TRIAL_USERS) {
      await start('workflowOnboardingTrial', `onboarding-${u.id}`, {
        tenantId: 'datasync', utilisateurId: u.id, email: u.email, prénom: u.name.split(' ')[0], planEssaiId: 'trial-14j',
      }, [{ key: TenantId, value: 'datasync' }]);
    }
    for (const [i, montantTotal] of [18_000, 24_550, 9_990].entries()) {
      const commandeId = `CM-${2001 + i}`;
      await start('workflowPaiementMarketplace', `payment-${commandeId}`, {
        tenantId: 'craftmarket', commandeId, acheteurId: `acheteur-${i + 1}`, vendeurId: `vendeur-${i + 1}`, montantTotal,
      }, [{ key: TenantId, value: 'craftmarket' }, { key: OrderId, value: commandeId }]);
    }
  } finally {
    await client.connection.close();
  }
  return { started, existing };
}
