-- The audit row is written before the action's effect (outcome 'pending') and completed once
-- after it: the only change the append-only log now accepts is that one completion, which may
-- set the outcome, merge the detail and stamp completed_at, and nothing else.
ALTER TABLE "audit_log" ADD COLUMN "completed_at" TIMESTAMPTZ(3);

CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD."outcome" = 'pending' AND NEW."outcome" <> 'pending' AND NEW."completed_at" IS NOT NULL
     AND NEW."id" = OLD."id" AND NEW."tenant_id" = OLD."tenant_id"
     AND NEW."actor_id" IS NOT DISTINCT FROM OLD."actor_id" AND NEW."actor_email" = OLD."actor_email"
     AND NEW."action" = OLD."action" AND NEW."target_type" = OLD."target_type" AND NEW."target_id" = OLD."target_id"
     AND NEW."reason" IS NOT DISTINCT FROM OLD."reason"
     AND NEW."idempotency_key" IS NOT DISTINCT FROM OLD."idempotency_key"
     AND NEW."created_at" = OLD."created_at" THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END;
$$;

-- Pending rows are few and looked up by the sweep that resolves interrupted actions.
CREATE INDEX "audit_log_pending_idx" ON "audit_log" ("tenant_id", "created_at") WHERE "outcome" = 'pending';
-- Refused attempts are counted per actor to keep them from flooding the log.
CREATE INDEX "audit_log_refused_idx" ON "audit_log" ("tenant_id", "actor_id", "created_at") WHERE "outcome" = 'refused';
