-- Storage speaks English (docs/decisions/050-names-and-boundaries.md): the order columns become
-- "order_id" and the saga statuses stored in payment_sagas.status and copied into
-- finance_incidents.saga_status become English. The wire keeps its French: the saga's input
-- (commandeId), its journal JSON (payment_sagas.journal, finance_incidents.compensation_journal),
-- the SagaStatus search attribute and the provider metadata are not touched. The worker
-- translates the workflow's status once, in finance/saga-status.ts.

ALTER TABLE "payment_sagas" RENAME COLUMN "commande_id" TO "order_id";
ALTER TABLE "ledger_entries" RENAME COLUMN "commande_id" TO "order_id";
ALTER TABLE "finance_incidents" RENAME COLUMN "commande_id" TO "order_id";
ALTER TABLE "provider_objects" RENAME COLUMN "commande_id" TO "order_id";
ALTER TABLE "payment_refunds" RENAME COLUMN "commande_id" TO "order_id";
ALTER TABLE "compensation_retries" RENAME COLUMN "commande_id" TO "order_id";
ALTER TABLE "reconciliation_marks" RENAME COLUMN "commande_id" TO "order_id";

-- The names Prisma gives these indexes for the renamed field.
ALTER INDEX "ledger_entries_commande_id_idx" RENAME TO "ledger_entries_order_id_idx";
ALTER INDEX "finance_incidents_commande_id_idx" RENAME TO "finance_incidents_order_id_idx";
ALTER INDEX "payment_refunds_tenant_id_commande_id_idx" RENAME TO "payment_refunds_tenant_id_order_id_idx";
ALTER INDEX "compensation_retries_tenant_id_commande_id_idx" RENAME TO "compensation_retries_tenant_id_order_id_idx";

-- Saga statuses, with the table of finance/saga-status.ts. The old CHECK only accepts the French
-- values, so it goes first.
CREATE TEMPORARY TABLE "saga_status_from_wire" ("wire" TEXT PRIMARY KEY, "stored" TEXT NOT NULL);
INSERT INTO "saga_status_from_wire" VALUES
    ('en_cours', 'running'),
    ('réussie', 'succeeded'),
    ('compensée', 'compensated'),
    ('compensation_incomplète', 'compensation_incomplete'),
    ('échouée', 'failed');

ALTER TABLE "payment_sagas" DROP CONSTRAINT "payment_sagas_status_check";
UPDATE "payment_sagas" s SET "status" = t."stored" FROM "saga_status_from_wire" t WHERE s."status" = t."wire";
ALTER TABLE "payment_sagas" ADD CONSTRAINT "payment_sagas_status_check"
  CHECK ("status" IN ('running', 'succeeded', 'compensated', 'compensation_incomplete', 'failed'));

UPDATE "finance_incidents" i SET "saga_status" = t."stored" FROM "saga_status_from_wire" t WHERE i."saga_status" = t."wire";
-- Unchecked until now; from here on a French (or any other) value is refused whatever writes it.
ALTER TABLE "finance_incidents" ADD CONSTRAINT "finance_incidents_saga_status_check"
  CHECK ("saga_status" IN ('running', 'succeeded', 'compensated', 'compensation_incomplete', 'failed'));

DROP TABLE "saga_status_from_wire";
