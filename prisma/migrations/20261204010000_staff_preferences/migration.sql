-- Each operator's own display settings (issue 14, item 3): the time zone every console date is
-- written in, with the zone named, and the language of the console. The zone stays NULL until
-- the browser sends its own, once (app/routes/t.$tenantId.preferences.time-zone.ts); the
-- operator changes both on the Preferences page. Zone names are checked by the console
-- (Intl's IANA list, app/components/time.ts isTimeZone), not here: PostgreSQL's own list can differ.
ALTER TABLE "staff_users" ADD COLUMN "time_zone" TEXT;
ALTER TABLE "staff_users" ADD COLUMN "language" TEXT NOT NULL DEFAULT 'en';
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_language_check" CHECK ("language" IN ('en', 'fr'));
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_time_zone_check" CHECK ("time_zone" IS NULL OR length("time_zone") BETWEEN 1 AND 64);
