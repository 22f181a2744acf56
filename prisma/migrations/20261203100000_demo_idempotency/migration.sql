-- The demo storefront and board (app/routes/demo.*) honour the idempotency key the machines send
-- (machines/idempotence.ts, issue 17 item 8): one charge per payment key, one move per card-move
-- key, and the card positions the board re-reads after a save timed out. No relations, like the
-- ingestion tables.

-- One row per payment key of a tenant: the charge (or the refusal) the first request with that key
-- got, which every later request with the same key gets again.
CREATE TABLE "demo_payments" (
    "tenant_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "order_ref" TEXT,
    "error_code" TEXT,
    "amount_cents" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "demo_payments_pkey" PRIMARY KEY ("tenant_id", "idempotency_key"),
    CONSTRAINT "demo_payments_status_check" CHECK ("status" IN ('succeeded', 'failed')),
    CONSTRAINT "demo_payments_outcome_check" CHECK (("status" = 'succeeded') = ("order_ref" IS NOT NULL))
);

-- One row per applied card move of a tenant (unique per key); a card's position on a board is its
-- latest move there (highest id).
CREATE TABLE "demo_card_moves" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "board_id" TEXT NOT NULL,
    "card_id" TEXT NOT NULL,
    "column_id" TEXT NOT NULL,
    "card_index" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "demo_card_moves_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "demo_card_moves_card_index_check" CHECK ("card_index" >= 0)
);
CREATE UNIQUE INDEX "demo_card_moves_tenant_id_idempotency_key_key" ON "demo_card_moves"("tenant_id", "idempotency_key");
CREATE INDEX "demo_card_moves_tenant_id_board_id_card_id_id_idx" ON "demo_card_moves"("tenant_id", "board_id", "card_id", "id");
