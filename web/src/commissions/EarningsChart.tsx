// recharts is most of this page's weight: EarningsPage loads this module only when it has data.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EarningsSummary } from '../api/commissions';
import { chartRows, monthLabel, SERIES } from './earnings';
import { formatMinor } from './money';

export default function EarningsChart({ summary, currency }: { summary: EarningsSummary; currency: string }) {
  // Axis ticks are whole minor units (allowDecimals off); rounding only guards formatMinor's integer input.
  const money = (value: unknown) => formatMinor(Math.round(Number(value) || 0), currency);
  return (
    <div className="earnings-chart" role="img" aria-label={`Commissions per month in ${currency}: pending, approved, paid and clawed back`}>
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={chartRows(summary.periods)} margin={{ top: 8, right: 8, bottom: 8, left: 24 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="period" tickFormatter={monthLabel} />
          <YAxis allowDecimals={false} tickFormatter={money} width={112} />
          <Tooltip formatter={money} labelFormatter={(label) => monthLabel(String(label))} />
          {/* In the order a commission moves, not alphabetical. */}
          <Legend itemSorter={(item) => SERIES.findIndex((s) => s.key === item.dataKey)} />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.colour} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
