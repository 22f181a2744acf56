// An operator's own display settings: the time zone every date of the console is written in and
// the language. Both live on staff_users (they follow the person across tenants); each change is
// an audited action in the tenant the operator was in when making it, once per idempotency key.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { db } from '../server/db.server';
import { forgetStaff, type StaffContext, type TenantContext } from '../server/auth.server';
import { idempotencyKeySchema, runAuditedAction, type ActionOutcome } from '../server/audited-action.server';
import * as field from '../server/fields';
import type { Language } from './languages';

/** Where times are written until the operator's browser has sent its zone. */
export const FALLBACK_TIME_ZONE = 'UTC';

/** The zone the server writes this operator's dates in. */
export const operatorTimeZone = (staff: Pick<StaffContext, 'timeZone'>): string => staff.timeZone ?? FALLBACK_TIME_ZONE;

export const preferencesForm = z.object({
  timeZone: field.timeZone,
  language: field.language,
  idempotencyKey: idempotencyKeySchema,
});
export type PreferencesForm = z.infer<typeof preferencesForm>;

/** What the browser sends, once, when no zone is stored yet. */
export const browserTimeZoneForm = z.object({
  timeZone: field.timeZone,
  idempotencyKey: idempotencyKeySchema,
});

/** A fresh key for a preferences form: the same form posted twice acts once. */
export const newPreferencesKey = () => `prefs-${randomUUID()}`;

export interface Preferences {
  timeZone: string | null;
  language: Language;
}

interface Changed { changed: boolean; timeZone: string; language: Language }

/** The operator's choice of zone and language; an unchanged form changes nothing and writes no row. */
export async function updatePreferences(ctx: TenantContext, form: PreferencesForm): Promise<ActionOutcome<Changed>> {
  const before: Preferences = { timeZone: ctx.timeZone, language: ctx.language };
  if (before.timeZone === form.timeZone && before.language === form.language) {
    return { ok: true, result: { changed: false, timeZone: form.timeZone, language: form.language }, replayed: false };
  }
  const outcome = await runAuditedAction(
    ctx,
    {
      action: 'preferences:update',
      targetType: 'staff',
      targetId: ctx.userId,
      idempotencyKey: form.idempotencyKey,
      detail: { before, after: { timeZone: form.timeZone, language: form.language } },
    },
    async () => {
      await db().staffUser.update({ where: { id: ctx.userId }, data: { timeZone: form.timeZone, language: form.language } });
      return { changed: true, timeZone: form.timeZone, language: form.language };
    },
  );
  // The next page, in this process, is in the new zone and language at once.
  forgetStaff(ctx.userId);
  return outcome;
}

/**
 * The browser's zone, stored only while none is: a later visit from another browser (or a
 * laptop in another country) does not overwrite what the operator has, or chose. A zone already
 * stored answers as it is, without a row: nothing changed.
 */
export async function storeBrowserTimeZone(ctx: TenantContext, form: z.infer<typeof browserTimeZoneForm>): Promise<ActionOutcome<{ changed: boolean; timeZone: string }>> {
  if (ctx.timeZone) return { ok: true, result: { changed: false, timeZone: ctx.timeZone }, replayed: false };
  const outcome = await runAuditedAction(
    ctx,
    {
      action: 'preferences:browser-time-zone',
      targetType: 'staff',
      targetId: ctx.userId,
      idempotencyKey: form.idempotencyKey,
      detail: { before: { timeZone: null }, after: { timeZone: form.timeZone } },
    },
    async () => {
      // Conditional: two tabs sending at once store one zone.
      const { count } = await db().staffUser.updateMany({ where: { id: ctx.userId, timeZone: null }, data: { timeZone: form.timeZone } });
      return { changed: count === 1, timeZone: form.timeZone };
    },
  );
  forgetStaff(ctx.userId);
  return outcome;
}
