// `tsx scripts/demo-finance.ts [--workflows]`: writes the finance demo data of CraftMarket into
// DATABASE_URL's database (the local payment provider's tables included); with --workflows it
// also starts the live failed saga, which needs the Temporal server and a worker running with
// PAYMENT_GATEWAY=local (as under `npm start`). Idempotent.
import { createPrismaClient } from '../prisma/db';
import { createTemporalClient } from '../temporal/config';
import { LocalPaymentGateway } from '../ports/local-gateway';
import { seedDemoFinance, seedDemoFinanceWorkflows } from './lib/demo-finance';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/vigie';
const db = createPrismaClient(url, { max: 2 });
try {
  const seeded = await seedDemoFinance(db, new LocalPaymentGateway(db));
  console.log(seeded.skipped ?? `finance demo: ${seeded.orders} CraftMarket orders in place`);
  if (process.argv.includes('--workflows')) {
    const client = await createTemporalClient();
    try {
      const { commandeId } = await seedDemoFinanceWorkflows(db, client);
      console.log(`finance demo: failing saga payment-${commandeId} started (or already there)`);
    } finally {
      await client.connection.close();
    }
  }
} finally {
  await db.$disconnect();
}
