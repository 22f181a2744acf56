import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useCallback, useState } from 'react';
import { ActionDialog } from '~/components/action-dialog';
import type { ActionResult } from '../../machines';
import { listApiKeys } from '~/admin/api-keys.server';
import { zonedTimestamp } from '~/components/time';
import { operatorTimeZone } from '~/preferences/preferences.server';
import { requireTenantPermission } from '~/server/auth.server';

export const meta: MetaFunction = () => [{ title: 'API keys · Vigie' }];

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
  // Lives only in this page's memory: a reload or another visit never shows the key again.
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const onCreated = useCallback((result: ActionResult) => {
    const data = result.data as { key?: string; name?: string } | undefined;
    setCreated(data?.key && data.name ? { name: data.name, key: data.key } : null);
  }, []);

  return (
    <>
      <section className="card">
        <h2>New key</h2>
        <p className="muted">A key lets a storefront or a board of this tenant report to Vigie’s ingestion API. Vigie keeps only a hash of it.</p>
        <ActionDialog
          label="Create API key"
          confirmText="Create a key for this tenant. It is shown once, right after."
          actionUrl={`${base}/create`}
          testId="create-api-key"
          onDone={onCreated}
        >
          <label>Name<input name="name" required maxLength={100} placeholder="e.g. storefront production" autoComplete="off" /></label>
        </ActionDialog>
        {created && (
          <div className="card" data-testid="new-api-key-card">
            <p>Copy the key “{created.name}” now and keep it in a secret store. It is not shown again.</p>
            <input readOnly value={created.key} aria-label="New API key" data-testid="new-api-key" size={80} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </section>

      <h2>Keys</h2>
      {keys.length === 0 ? (
        <p className="muted">No key yet.</p>
      ) : (
        <div className="scroll" tabIndex={0}>
          <table className="data" data-testid="api-key-table">
            <thead>
              <tr><th>Name</th><th>Prefix</th><th>Created</th><th>Last used</th><th>Status</th><th /></tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-testid={`api-key-${k.id}`}>
                  <td>{k.name}</td>
                  <td><code>{k.prefix}…</code></td>
                  <td>{k.created}</td>
                  <td>{k.lastUsed ?? 'never'}</td>
                  <td>{k.revoked ? <span className="badge failed">revoked {k.revoked}</span> : <span className="badge completed">active</span>}</td>
                  <td>
                    {!k.revoked && (
                      <ActionDialog
                        label="Revoke"
                        danger
                        reason="required"
                        confirmText={<>Revoke “{k.name}”: every request using it is refused from now on. This cannot be undone.</>}
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
