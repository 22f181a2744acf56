-- The console request that wrote each audit row (ops/log/request-id.js): the same id is in the
-- request's log lines and, through a Temporal header, in the log lines of the activities it caused.
-- Null for rows written outside a request (scripts, the sweep of interrupted actions).
ALTER TABLE "audit_log" ADD COLUMN "request_id" TEXT;
CREATE INDEX "audit_log_request_id_idx" ON "audit_log" ("request_id") WHERE "request_id" IS NOT NULL;
