// The frame of the demo pages: which tenant they report to, through which key, and how the
// reporter is doing (sent / pending / dropped), refreshed every second.
import { Link } from '@remix-run/react';
import { useEffect, useState, type ReactNode } from 'react';
import type { ReporterStats } from '../../machines';

export function useReporterStats(getStats: () => ReporterStats | null): ReporterStats | null {
  const [stats, setStats] = useState<ReporterStats | null>(null);
  useEffect(() => {
    const t = setInterval(() => setStats(getStats()), 1000);
    return () => clearInterval(t);
  }, [getStats]);
  return stats;
}

export function DemoShell(props: {
  title: string;
  tenantId: string;
  tenantName: string;
  keyPrefix: string;
  consoleLink: string;
  stats: ReporterStats | null;
  children: ReactNode;
}) {
  const { stats } = props;
  return (
    <>
      <nav className="topbar" aria-label="Demo">
        <span className="brand">Vigie demo</span>
        <span>{props.tenantName}</span>
        <Link to={`/demo/${props.tenantId}/checkout`}>Checkout</Link>
        <Link to={`/demo/${props.tenantId}/board`}>Board</Link>
        <span className="spacer" />
        <Link to={props.consoleLink}>Open in the console →</Link>
      </nav>
      <main className="page">
        <h1>{props.title}</h1>
        <p className="muted">
          The real machine runs in this page and reports to <code>/api/v1</code> with the demo key <code>{props.keyPrefix}…</code>.{' '}
          <span data-testid="reporter-stats">
            Reporter: {stats ? `${stats.sent} sent, ${stats.pending} pending, ${stats.dropped} dropped` : 'starting'}
          </span>
        </p>
        {props.children}
      </main>
    </>
  );
}
