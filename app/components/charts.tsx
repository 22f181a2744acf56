// The payments page's charts (recharts): daily volume, and daily outcomes by saga status.
// Drawn in the browser only: recharts measures the page, which the server cannot, and a chart
// rendered twice with different sizes would not hydrate. The figures are also given as text.
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatEuros, useFinanceT, type ChartDay } from '~/finance/labels';

const OUTCOMES = [
  { key: 'succeeded', color: '#067647' },
  { key: 'compensated', color: '#b54708' },
  { key: 'compensation_incomplete', color: '#b42318' },
  { key: 'failed', color: '#7a271a' },
  { key: 'running', color: '#1f5fbf' },
] as const;

const shortDay = (d: string) => d.slice(5);
const axisEuros = (cents: number) => `${Math.round(cents / 100)} €`;

export function SagaCharts({ days }: { days: ChartDay[] }) {
  const { t, w } = useFinanceT();
  const [drawn, setDrawn] = useState(false);
  useEffect(() => setDrawn(true), []);
  const total = days.reduce(
    (t, d) => ({ orders: t.orders + d.orders, volumeCents: t.volumeCents + d.volumeCents, succeededCents: t.succeededCents + d.succeededCents }),
    { orders: 0, volumeCents: 0, succeededCents: 0 },
  );
  const outcomes = OUTCOMES.map((o) => ({ ...o, label: w('sagaStatus', o.key), n: days.reduce((n, d) => n + d[o.key], 0) }));
  return (
    <div className="grid2 charts">
      <figure className="card" data-testid="chart-volume">
        <figcaption>
          {t('charts.volume', { from: days[0]?.day, to: days.at(-1)?.day })} <b>{total.orders}</b> {t('charts.orders', { count: total.orders })},{' '}
          <b>{formatEuros(total.volumeCents)}</b> {t('charts.succeededAmount', { amount: formatEuros(total.succeededCents) })}
        </figcaption>
        <div className="chart-box">
          {drawn && (
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={shortDay} fontSize={11} />
                <YAxis tickFormatter={axisEuros} fontSize={11} width={64} />
                <Tooltip formatter={(v) => formatEuros(Number(v))} />
                <Legend />
                <Bar dataKey="volumeCents" name={t('charts.ordered')} fill="#9db8e6" />
                <Bar dataKey="succeededCents" name={t('charts.succeeded')} fill="#067647" />
              </BarChart>
            </ResponsiveContainer>
          )}
        </div>
      </figure>
      <figure className="card" data-testid="chart-outcomes">
        <figcaption>
          {t('charts.outcomes', { list: outcomes.filter((o) => o.n > 0).map((o) => `${o.n} ${o.label}`).join(', ') || t('charts.none') })}
        </figcaption>
        <div className="chart-box">
          {drawn && (
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={shortDay} fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} width={32} />
                <Tooltip />
                <Legend />
                {outcomes.map((o) => <Bar key={o.key} dataKey={o.key} name={o.label} stackId="outcome" fill={o.color} />)}
              </BarChart>
            </ResponsiveContainer>
          )}
        </div>
      </figure>
    </div>
  );
}
