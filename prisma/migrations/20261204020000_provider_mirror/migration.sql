-- The provider mirror (docs/decisions/140-provider-mirror.md): what the payment provider holds,
-- kept in PostgreSQL from its events, so reconciliation is a comparison of two tables.

-- Every event the provider sent (webhook) or that the catch-up found, once per event id.
-- Stored raw before anything is done with it; processed_at stays NULL until it is applied to the
-- mirror, so a failure leaves it for the next pass (attempts, last_error say why).
CREATE TABLE "mirror_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "via" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    CONSTRAINT "mirror_events_via_check" CHECK ("via" IN ('webhook', 'catch_up'))
);
CREATE INDEX "mirror_events_unprocessed_idx" ON "mirror_events"("created_at", "id") WHERE "processed_at" IS NULL;

-- One row per provider object (charge, refund, transfer, reversal, insurance fee), as of the latest
-- event applied (state_at: a late, older event does not overwrite a newer state).
CREATE TABLE "mirror_objects" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "idempotency_key" TEXT,
    "order_id" TEXT,
    "source_id" TEXT,
    "tenant_id" TEXT,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "state_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mirror_objects_kind_check" CHECK ("kind" IN ('charge', 'transfer', 'transfer_reversal', 'refund', 'insurance')),
    CONSTRAINT "mirror_objects_status_check" CHECK ("status" IN ('succeeded', 'failed', 'pending', 'canceled'))
);
CREATE INDEX "mirror_objects_created_at_idx" ON "mirror_objects"("created_at");
CREATE INDEX "mirror_objects_source_id_idx" ON "mirror_objects"("source_id");

-- Where the catch-up stands: every provider event created before "cursor" has been stored.
CREATE TABLE "mirror_sync" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "cursor" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3) NOT NULL,
    "events" INTEGER NOT NULL DEFAULT 0,
    "objects" INTEGER NOT NULL DEFAULT 0,
    "ms" INTEGER NOT NULL DEFAULT 0
);

-- The local stand-in's webhook deliveries (ports/local-webhook-forwarder.ts). Rows made before
-- the mirror existed count as delivered: the catch-up brings them in.
ALTER TABLE "provider_objects" ADD COLUMN "webhook_delivered_at" TIMESTAMPTZ(3);
UPDATE "provider_objects" SET "webhook_delivered_at" = "created_at";
CREATE INDEX "provider_objects_undelivered_idx" ON "provider_objects"("created_at", "id") WHERE "webhook_delivered_at" IS NULL;
CREATE INDEX "provider_objects_created_at_idx" ON "provider_objects"("created_at", "id");
