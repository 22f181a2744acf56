import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pageTitle } from '~/i18n/fixed-t';
import { ActionDialog } from '~/components/action-dialog';
import type { ActionResult } from '../../machines';
import { listApiKeys } from '~/admin/api-keys.server';
import { zonedTimestamp } from '~/components/time';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { requireTenantPermission } from '~/server/auth.server';

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, 'admin', (t) => t('apiKeys.title')) }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantPermission(request, params.tenantId, 'manage:apikey');
  const keys = await listApiKeys(ctx.tenantId);
  return json({
    base: `/t/${ctx.tenantId}/admin/api-keys`,
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      created: zonedTimestamp(k.createdAt, operatorTimeZone(ctx), 'minute'),
      lastUsed: zonedTimestamp(k.lastUsedAt, operatorTimeZone(ctx), 'minute'),
      revoked: zonedTimestamp(k.revokedAt, operatorTimeZone(ctx), 'minute'),
    })),
  });
}

export default function ApiKeys() {
  const { base, keys } = useLoaderData<typeof loader>();
  const { t } = useTranslation('admin');
  // Lives only in this page's memory: a reload or another visit never shows the key again.
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const onCreated = useCallback((result: ActionResult) => {
    const data = result.data as { key?: string; name?: string } | undefined;
    setCreated(data?.key && data.name ? { name: data.name, key: data.key } : null);
  }, []);

  return (
    <>
      <section className="card">
        <h2>{t('apiKeys.newKey')}</h2>
        <p className="muted">{t('apiKeys.intro')}</p>
        <ActionDialog
          label={t('apiKeys.create')}
          confirmText={t('apiKeys.createConfirm')}
          actionUrl={`${base}/create`}
          testId="create-api-key"
          onDone={onCreated}
        >
          <label>{t('apiKeys.name')}<input name="name" required maxLength={100} placeholder={t('apiKeys.namePlaceholder')} autoComplete="off" /></label>
        </ActionDialog>
        {created && (
          <div className="card" data-testid="new-api-key-card">
            <p>{t('apiKeys.copyNow', { name: created.name })}</p>
            <input readOnly value={created.key} aria-label={t('apiKeys.newKeyLabel')} data-testid="new-api-key" size={80} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </section>

      <h2>{t('apiKeys.keys')}</h2>
      {keys.length === 0 ? (
        <p className="muted">{t('apiKeys.noKey')}</p>
      ) : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="api-key-table">
            <thead>
              <tr>{(['name', 'prefix', 'created', 'lastUsed', 'status'] as const).map((c) => <th key={c}>{t(`apiKeys.column.${c}`)}</th>)}<th /></tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-testid={`api-key-${k.id}`}>
                  <td>{k.name}</td>
                  <td><code>{k.prefix}…</code></td>
                  <td>{k.created}</td>
                  <td>{k.lastUsed ?? t('apiKeys.never')}</td>
                  <td>{k.revoked ? <span className="badge failed">{t('apiKeys.revokedAt', { at: k.revoked })}</span> : <span className="badge completed">{t('apiKeys.active')}</span>}</td>
                  <td>
                    {!k.revoked && (
                      <ActionDialog
                        label={t('apiKeys.revoke')}
                        danger
                        reason="required"
                        confirmText={t('apiKeys.revokeConfirm', { name: k.name })}
                        actionUrl={`${base}/revoke`}
                        testId={`revoke-${k.id}`}
                      >
                        <input type="hidden" name="keyId" value={k.id} />
                      </ActionDialog>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
