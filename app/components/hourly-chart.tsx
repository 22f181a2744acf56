// Kanban save errors per hour, stacked: plain errors and timeouts (both rolled back).
// Drawn after hydration only: recharts measures the DOM, which the server does not have.
// Hours are the operator's (the zone of every console date), never the browser's own.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { instantToWallTime, zoned } from './time';
import { useTimeZone } from './zoned-time';

export interface HourPoint {
  hour: string;
  error: number;
  timeout: number;
}

const hourOf = (iso: string, timeZone: string) => instantToWallTime(iso, timeZone).slice(11, 13);

export function HourlyErrorsChart({ data, height = 220 }: { data: HourPoint[]; height?: number }) {
  const timeZone = useTimeZone();
  const { t } = useTranslation('live');
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const total = data.reduce((n, p) => n + p.error + p.timeout, 0);
  return (
    <div style={{ width: '100%', height }} data-testid="errors-per-hour" data-total={total}>
      {mounted && (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="hour" tickFormatter={(v) => t('chart.hour', { hour: hourOf(String(v), timeZone) })} fontSize={11} minTickGap={12} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip labelFormatter={(v) => zoned(String(v), timeZone, 'minute')} />
            <Legend />
            <Bar dataKey="error" name={t('chart.saveFailed')} stackId="a" fill="#b42318" isAnimationActive={false} />
            <Bar dataKey="timeout" name={t('chart.timeout')} stackId="a" fill="#b54708" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
