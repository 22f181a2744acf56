-- The ingestion API's per-key token buckets, shared by every console process (app/ingest/rate-limit.server.ts):
-- behind N consoles a key still gets its one rate. Unlogged: a crash that loses them only refills the buckets.
CREATE UNLOGGED TABLE "ingest_rate_buckets" (
    "key_id" TEXT NOT NULL PRIMARY KEY,
    "tokens" DOUBLE PRECISION NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL
);
