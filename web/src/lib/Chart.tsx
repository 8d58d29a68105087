import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  /** CSS variable name or colour. */
  color?: string;
  fill?: boolean;
}

const css = (v: string) => getComputedStyle(document.documentElement).getPropertyValue(v).trim() || v;

/** A uPlot time-series chart (x in seconds since epoch) that fills its container's width. */
export function TimeChart({ x, series, height = 220, label, yLabel }: { x: number[]; series: Series[]; height?: number; label: string; yLabel?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');

  useEffect(() => {
    const el = box.current!;
    const axis = { stroke: css('--muted'), grid: { stroke: css('--grid'), width: 1 }, ticks: { stroke: css('--grid'), width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [axis, { ...axis, label: yLabel, size: 50 }],
      series: [
        {},
        ...series.map((s) => {
          const c = css(s.color ?? '--accent');
          return { label: s.label, stroke: c, width: 2, fill: s.fill ? `${c}33` : undefined, points: { show: false } };
        }),
      ],
    };
    plot.current = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [x, series]);

  return <div className="chart" ref={box} role="img" aria-label={label} data-testid="chart" />;
}

/** A tiny inline SVG sparkline (no canvas per row: a leaderboard has many). */
export function Sparkline({ values, width = 120, height = 28 }: { values: number[]; width?: number; height?: number }) {
  if (!values.length) return <span className="muted">—</span>;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polyline points={`0,${height} ${pts} ${width},${height}`} className="spark-fill" />
      <polyline points={pts} className="spark-line" />
    </svg>
  );
}
