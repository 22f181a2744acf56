-- Workflows (temporal/): trials, email deliveries, sales alerts, payment sagas, ledger,
-- finance incidents, and the state of the local payment provider and mailer stand-ins.
-- CHECK constraints are invisible to Prisma; they keep money and status values sane whatever writes them.

CREATE TABLE "trial_accounts" (
    "workflow_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "trial_plan_id" TEXT NOT NULL,
    "provider_trial_id" TEXT,
    "status" TEXT NOT NULL,
    "plan_id" TEXT,
    "amount_cents" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "converted_at" TIMESTAMPTZ(3),
    "access_disabled_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "trial_accounts_pkey" PRIMARY KEY ("workflow_id"),
    CONSTRAINT "trial_accounts_status_check" CHECK ("status" IN ('trialing', 'converted', 'expired')),
    CONSTRAINT "trial_accounts_amount_cents_check" CHECK ("amount_cents" IS NULL OR "amount_cents" >= 0)
);
CREATE INDEX "trial_accounts_tenant_id_user_id_idx" ON "trial_accounts"("tenant_id", "user_id");

CREATE TABLE "email_deliveries" (
    "idempotency_key" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "provider_message_id" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "email_deliveries_pkey" PRIMARY KEY ("idempotency_key"),
    CONSTRAINT "email_deliveries_status_check" CHECK ("status" IN ('sending', 'sent', 'failed'))
);
CREATE INDEX "email_deliveries_tenant_id_workflow_id_idx" ON "email_deliveries"("tenant_id", "workflow_id");

CREATE TABLE "local_mail_messages" (
    "id" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "recipient" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "template" TEXT,
    "variables" JSONB,
    "request_count" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_request_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "local_mail_messages_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "local_mail_messages_idempotency_key_key" ON "local_mail_messages"("idempotency_key");
CREATE INDEX "local_mail_messages_recipient_idx" ON "local_mail_messages"("recipient");

CREATE TABLE "sales_alerts" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "request_count" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sales_alerts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sales_alerts_idempotency_key_key" ON "sales_alerts"("idempotency_key");
CREATE INDEX "sales_alerts_tenant_id_created_at_idx" ON "sales_alerts"("tenant_id", "created_at");

CREATE TABLE "payment_sagas" (
    "commande_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "buyer_id" TEXT NOT NULL,
    "seller_id" TEXT NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "seller_cents" INTEGER NOT NULL,
    "commission_cents" INTEGER NOT NULL,
    "insurance_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'eur',
    "status" TEXT NOT NULL,
    "charge_id" TEXT,
    "transfer_id" TEXT,
    "insurance_id" TEXT,
    "journal" JSONB,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_sagas_pkey" PRIMARY KEY ("commande_id"),
    CONSTRAINT "payment_sagas_status_check" CHECK ("status" IN ('en_cours', 'réussie', 'compensée', 'compensation_incomplète', 'échouée')),
    CONSTRAINT "payment_sagas_amounts_check" CHECK (
        "total_cents" > 0 AND "seller_cents" >= 0 AND "commission_cents" >= 0 AND "insurance_cents" >= 0
        AND "seller_cents" + "commission_cents" = "total_cents")
);
CREATE UNIQUE INDEX "payment_sagas_workflow_id_key" ON "payment_sagas"("workflow_id");
CREATE INDEX "payment_sagas_tenant_id_started_at_idx" ON "payment_sagas"("tenant_id", "started_at");
CREATE INDEX "payment_sagas_tenant_id_status_idx" ON "payment_sagas"("tenant_id", "status");

CREATE TABLE "ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "commande_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "provider_id" TEXT,
    "related_provider_id" TEXT,
    "amount_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'eur',
    "status" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ledger_entries_kind_check" CHECK ("kind" IN ('charge', 'transfer', 'insurance', 'refund', 'transfer_reversal', 'insurance_cancel')),
    CONSTRAINT "ledger_entries_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT "ledger_entries_amount_cents_check" CHECK ("amount_cents" >= 0)
);
CREATE UNIQUE INDEX "ledger_entries_idempotency_key_key" ON "ledger_entries"("idempotency_key");
CREATE INDEX "ledger_entries_tenant_id_created_at_idx" ON "ledger_entries"("tenant_id", "created_at");
CREATE INDEX "ledger_entries_commande_id_idx" ON "ledger_entries"("commande_id");

CREATE TABLE "finance_incidents" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "commande_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "failed_step" TEXT,
    "saga_status" TEXT NOT NULL,
    "original_error" TEXT NOT NULL,
    "compensation_journal" JSONB NOT NULL,
    "state" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "assignee_id" UUID,
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "finance_incidents_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "finance_incidents_status_check" CHECK ("status" IN ('open', 'acknowledged', 'resolved')),
    CONSTRAINT "finance_incidents_severity_check" CHECK ("severity" IN ('high', 'normal'))
);
CREATE UNIQUE INDEX "finance_incidents_idempotency_key_key" ON "finance_incidents"("idempotency_key");
CREATE INDEX "finance_incidents_tenant_id_status_created_at_idx" ON "finance_incidents"("tenant_id", "status", "created_at");
CREATE INDEX "finance_incidents_commande_id_idx" ON "finance_incidents"("commande_id");

CREATE TABLE "provider_objects" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount_cents" INTEGER,
    "currency" TEXT NOT NULL DEFAULT 'eur',
    "counterparty" TEXT,
    "source_id" TEXT,
    "commande_id" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "provider_objects_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "provider_objects_status_check" CHECK ("status" IN ('succeeded', 'failed'))
);
CREATE UNIQUE INDEX "provider_objects_idempotency_key_key" ON "provider_objects"("idempotency_key");
CREATE INDEX "provider_objects_kind_created_at_id_idx" ON "provider_objects"("kind", "created_at", "id");
CREATE INDEX "provider_objects_source_id_idx" ON "provider_objects"("source_id");

CREATE TABLE "provider_faults" (
    "id" BIGSERIAL NOT NULL,
    "operation" TEXT NOT NULL,
    "target" TEXT,
    "mode" TEXT NOT NULL,
    "remaining" INTEGER,
    "delay_ms" INTEGER NOT NULL DEFAULT 0,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "provider_faults_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "provider_faults_mode_check" CHECK ("mode" IN ('decline', 'invalid_account', 'timeout', 'lost_answer', 'reject', 'delay'))
);
CREATE INDEX "provider_faults_operation_idx" ON "provider_faults"("operation");
