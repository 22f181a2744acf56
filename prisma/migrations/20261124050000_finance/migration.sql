-- Finance (app/): refunds asked from the console, retries of failed saga compensations, the
-- timeline of each finance incident, and mismatches marked reconciled. Money movements
-- themselves stay in ledger_entries (one row per provider request); these tables say who
-- asked for what, and why. No foreign keys, like the admin and ingestion sections: the
-- tables they would point at belong to other sections of schema.prisma.

CREATE TABLE "payment_refunds" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "commande_id" TEXT NOT NULL,
    "charge_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "provider_refund_id" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "requested_by" UUID NOT NULL,
    "requested_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),
    CONSTRAINT "payment_refunds_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_refunds_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT "payment_refunds_amount_cents_check" CHECK ("amount_cents" > 0)
);
CREATE UNIQUE INDEX "payment_refunds_idempotency_key_key" ON "payment_refunds"("idempotency_key");
CREATE INDEX "payment_refunds_tenant_id_commande_id_idx" ON "payment_refunds"("tenant_id", "commande_id");

CREATE TABLE "compensation_retries" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "commande_id" TEXT NOT NULL,
    "incident_id" UUID,
    "action" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "amount_cents" INTEGER,
    "status" TEXT NOT NULL,
    "provider_id" TEXT,
    "error" TEXT,
    "requested_by" UUID NOT NULL,
    "requested_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),
    CONSTRAINT "compensation_retries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "compensation_retries_status_check" CHECK ("status" IN ('pending', 'succeeded', 'failed')),
    CONSTRAINT "compensation_retries_action_check" CHECK ("action" IN ('annulerFactureAssurance', 'inverserTransfertVendeur', 'rembourserAcheteur'))
);
CREATE INDEX "compensation_retries_tenant_id_commande_id_idx" ON "compensation_retries"("tenant_id", "commande_id");

CREATE TABLE "finance_incident_events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "incident_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT,
    "assignee_id" UUID,
    "actor_id" UUID,
    "actor_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "finance_incident_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "finance_incident_events_kind_check" CHECK ("kind" IN ('note', 'assign', 'acknowledge', 'resolve', 'retry'))
);
CREATE INDEX "finance_incident_events_tenant_id_incident_id_idx" ON "finance_incident_events"("tenant_id", "incident_id");

-- An incident's notes and history are evidence: nobody rewrites them, not even the console.
CREATE FUNCTION "finance_incident_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'finance_incident_events is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER "finance_incident_events_no_update_delete" BEFORE UPDATE OR DELETE ON "finance_incident_events"
  FOR EACH ROW EXECUTE FUNCTION "finance_incident_events_append_only"();
CREATE TRIGGER "finance_incident_events_no_truncate" BEFORE TRUNCATE ON "finance_incident_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "finance_incident_events_append_only"();

CREATE TABLE "reconciliation_marks" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "mismatch_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "commande_id" TEXT,
    "reason" TEXT NOT NULL,
    "actor_id" UUID NOT NULL,
    "actor_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "reconciliation_marks_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "reconciliation_marks_tenant_id_mismatch_key_key" ON "reconciliation_marks"("tenant_id", "mismatch_key");
