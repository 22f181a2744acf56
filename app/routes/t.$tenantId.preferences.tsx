// The operator's own settings: the time zone every date of the console is written in and the
// language. Any member of the tenant; the change is audited in this tenant and follows the
// operator everywhere. A bad zone or language is a 400 naming the field, shown on the page.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { Time } from '~/components/zoned-time';
import { actionResponse } from '~/server/audited-action.server';
import { requireTenantPermission } from '~/server/auth.server';
import { parseForm } from '~/server/http.server';
import { LANGUAGES, LANGUAGE_NAMES } from '~/preferences/languages';
import { useTranslation } from 'react-i18next';
import { pageTitle } from '~/i18n/fixed-t';
import { newPreferencesKey, operatorTimeZone, preferencesForm, updatePreferences, type PreferencesForm } from '~/preferences/preferences.server';

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'preferences', (t) => t('title')) }];

/** The zones this server knows, for the list (the browser's own list can differ: the server's is the one checked). */
function knownTimeZones(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'edit:preferences');
  const timeZone = operatorTimeZone(ctx);
  return json({
    email: ctx.email,
    timeZone,
    timeZoneStored: ctx.timeZone !== null,
    language: ctx.language,
    zones: knownTimeZones(timeZone),
    idempotencyKey: newPreferencesKey(),
    now: new Date().toISOString(),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'edit:preferences');
  // A bad field is answered on the page (returned, not thrown to the error boundary).
  let form: PreferencesForm;
  try {
    form = await parseForm(request, preferencesForm);
  } catch (refusal) {
    if (refusal instanceof Response) return refusal;
    throw refusal;
  }
  return actionResponse(await updatePreferences(ctx, form));
}

export default function Preferences() {
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<{ ok: boolean; error?: string; result?: { changed: boolean } }>();
  const busy = useNavigation().state === 'submitting';
  const { t } = useTranslation('preferences');
  // The browser's zone, shown for comparison once the page runs in it (the server cannot know it).
  const [browserZone, setBrowserZone] = useState<string | null>(null);
  useEffect(() => setBrowserZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return (
    <main className="page">
      <h1>{t('title')}</h1>
      <p className="muted">{t('forWhom', { email: d.email })}</p>
      <Form method="post" className="card stack" key={d.idempotencyKey}>
        <input type="hidden" name="idempotencyKey" value={d.idempotencyKey} />
        <label>
          {t('timeZone')}
          <select name="timeZone" defaultValue={d.timeZone} data-testid="time-zone">
            {d.zones.map((z) => <option key={z} value={z}>{z}</option>)}
          </select>
        </label>
        <p className="muted">
          {t('zoneExplained')} <Time at={d.now} />.
          {!d.timeZoneStored && ` ${t('notChosen')}`}
          {browserZone && browserZone !== d.timeZone && ` ${t('browserZone', { zone: browserZone })}`}
        </p>
        <label>
          {t('language')}
          <select name="language" defaultValue={d.language} data-testid="language">
            {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
          </select>
        </label>
        <p className="muted">{t('languageExplained')}</p>
        <div>
          <button type="submit" disabled={busy}>{busy ? t('saving') : t('save')}</button>
        </div>
        {answer && (answer.ok
          ? <p role="status">{answer.result?.changed === false ? t('unchanged') : t('saved')}</p>
          : <p className="error" role="alert">{answer.error}</p>)}
      </Form>
    </main>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error';
