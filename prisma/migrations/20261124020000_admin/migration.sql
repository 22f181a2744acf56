-- Admin (issue 5): staff invitations, disabled memberships, keyset paging of the audit log.

-- An admin disables a member of their tenant without deleting the membership (history stays).
ALTER TABLE "memberships" ADD COLUMN "disabled_at" TIMESTAMPTZ(3);

CREATE TABLE "staff_invitations" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "staff_invitations_token_hash_key" ON "staff_invitations"("token_hash");
CREATE INDEX "staff_invitations_tenant_id_email_idx" ON "staff_invitations"("tenant_id", "email");

-- The audit page pages newest-first by id within a tenant.
CREATE INDEX "audit_log_tenant_id_id_idx" ON "audit_log"("tenant_id", "id");
