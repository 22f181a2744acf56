// Every activity the worker serves, built from its ports so tests and the worker choose
// the implementations (local stand-ins or Stripe and Resend).
import type { Db } from '../../prisma/db';
import type { Mailer } from '../../ports/mailer';
import type { PaymentGateway } from '../../ports/payment-gateway';
import type { SalesAlerter } from '../../ports/sales-alerter';
import { createOnboardingActivities } from './onboarding';
import { createPaymentActivities } from './payment';

export interface ActivityDeps {
  db: Db;
  payments: PaymentGateway;
  mailer: Mailer;
  sales: SalesAlerter;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOnboardingActivities(deps),
    ...createPaymentActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
