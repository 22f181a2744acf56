-- Saved views of the workflow list: a name and the list's query string, per tenant, private to
-- their owner or shared with the team; a shared view may be the default of one role.
CREATE TABLE "saved_views" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "owner_id" UUID NOT NULL,
    "owner_email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "shared" BOOLEAN NOT NULL DEFAULT false,
    "default_for_role" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "saved_views_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "saved_views_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "saved_views_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "saved_views_default_is_shared" CHECK ("default_for_role" IS NULL OR "shared")
);
CREATE INDEX "saved_views_tenant_id_idx" ON "saved_views"("tenant_id");
-- One default view per role and tenant.
CREATE UNIQUE INDEX "saved_views_default_key" ON "saved_views"("tenant_id", "default_for_role") WHERE "default_for_role" IS NOT NULL;
