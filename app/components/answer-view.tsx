// A query's answer as a person reads it: an object as a key/value list, a list of records as a
// table, times in the operator's zone, yes/no for booleans — with the raw JSON one click away.
import { useTranslation } from 'react-i18next';
import { zoned } from './time';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v);

function Scalar({ value, tz }: { value: unknown; tz: string }) {
  const { t } = useTranslation('workflows');
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <>{value ? t('answer.yes') : t('answer.no')}</>;
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return <time dateTime={value}>{zoned(value, tz)}</time>;
  return <>{String(value)}</>;
}

function Node({ value, tz, depth }: { value: unknown; tz: string; depth: number }) {
  const { t } = useTranslation('workflows');
  if (isScalar(value)) return <Scalar value={value} tz={tz} />;
  if (depth > 6) return <code>{JSON.stringify(value)}</code>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">{t('answer.none')}</span>;
    if (value.every(isScalar)) return <>{value.map((v, i) => <span key={i}>{i > 0 && ', '}<Scalar value={v} tz={tz} /></span>)}</>;
    if (value.every(isRecord) && value.every((r) => Object.values(r).every(isScalar))) {
      const keys = [...new Set(value.flatMap((r) => Object.keys(r)))];
      return (
        <div className="scroll" tabIndex={0}>
          <table className="data">
            <thead><tr>{keys.map((k) => <th key={k}>{k}</th>)}</tr></thead>
            <tbody>{value.map((r, i) => <tr key={i}>{keys.map((k) => <td key={k}><Scalar value={r[k]} tz={tz} /></td>)}</tr>)}</tbody>
          </table>
        </div>
      );
    }
    return <ol>{value.map((v, i) => <li key={i}><Node value={v} tz={tz} depth={depth + 1} /></li>)}</ol>;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">{t('answer.empty')}</span>;
  return (
    <dl className="kv">
      {entries.map(([k, v]) => <span key={k} style={{ display: 'contents' }}><dt>{k}</dt><dd><Node value={v} tz={tz} depth={depth + 1} /></dd></span>)}
    </dl>
  );
}

export function AnswerView({ value, tz, testId }: { value: unknown; tz: string; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Node value={value} tz={tz} depth={0} />
      <details><summary>JSON</summary><pre className="scroll" tabIndex={0} style={{ fontSize: '.8rem' }}>{JSON.stringify(value, null, 2)}</pre></details>
    </div>
  );
}
