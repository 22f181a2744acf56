-- Where each staff member last worked in the console (app/navigation/landing.server.ts): the
-- tenant and the page path of their last GET navigation under /t/<tenant>/…, written only when
-- it changed. Login lands there, unless they are no longer a member of that tenant.
ALTER TABLE "staff_users" ADD COLUMN "last_tenant_id" TEXT;
ALTER TABLE "staff_users" ADD COLUMN "last_path" TEXT;
