-- Ingestion API (issue 7): checkout sessions and transitions, kanban save errors.
-- Rows arrive through a write buffer as multi-row INSERT ... ON CONFLICT DO NOTHING
-- (app/ingest/store.server.ts); the (tenant_id, event_id) unique indexes make a resent batch harmless.

CREATE TABLE "checkout_sessions" (
    "tenant_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "machine_version" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "state_value" JSONB NOT NULL,
    "step" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "cart_cents" INTEGER NOT NULL,
    "item_count" INTEGER NOT NULL,
    "payment_attempts" INTEGER NOT NULL,
    "last_error_code" TEXT,
    "context" JSONB NOT NULL,
    "state_since" TIMESTAMPTZ(3) NOT NULL,
    "first_event_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "last_event_type" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "checkout_sessions_pkey" PRIMARY KEY ("tenant_id", "session_id")
);
CREATE INDEX "checkout_sessions_tenant_id_last_event_at_idx" ON "checkout_sessions"("tenant_id", "last_event_at");

CREATE TABLE "checkout_transitions" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "state_value" JSONB NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "payment_attempts" INTEGER NOT NULL,
    "last_error_code" TEXT,
    "cart_cents" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "checkout_transitions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "checkout_transitions_tenant_id_event_id_key" ON "checkout_transitions"("tenant_id", "event_id");
CREATE INDEX "checkout_transitions_tenant_id_session_id_at_idx" ON "checkout_transitions"("tenant_id", "session_id", "at");
CREATE INDEX "checkout_transitions_tenant_id_at_idx" ON "checkout_transitions"("tenant_id", "at");

CREATE TABLE "kanban_save_errors" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "board_id" TEXT NOT NULL,
    "card_id" TEXT NOT NULL,
    "from_column" TEXT NOT NULL,
    "to_column" TEXT NOT NULL,
    "target_index" INTEGER NOT NULL,
    "original_index" INTEGER,
    "error" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "board_after" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "kanban_save_errors_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "kanban_save_errors_kind_check" CHECK ("kind" IN ('timeout', 'error'))
);
CREATE UNIQUE INDEX "kanban_save_errors_tenant_id_event_id_key" ON "kanban_save_errors"("tenant_id", "event_id");
CREATE INDEX "kanban_save_errors_tenant_id_at_idx" ON "kanban_save_errors"("tenant_id", "at");
CREATE INDEX "kanban_save_errors_tenant_id_board_id_at_idx" ON "kanban_save_errors"("tenant_id", "board_id", "at");
