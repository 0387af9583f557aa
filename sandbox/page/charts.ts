import type { ChartView as RuntimeChartView } from '../gas/runtime';

/**
 * The add-on's native charts (EmbeddedChartBuilder specs) drawn as SVG, so a person sees the
 * Dashboard without Google. Every label is a text node; nothing is parsed as markup.
 */
type ChartView = Pick<RuntimeChartView, 'type' | 'title' | 'stacked' | 'labels' | 'series'>;

const NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#34a853', '#1a73e8', '#f9ab00', '#a50e0e', '#9334e6', '#12b5cb', '#e8710a'];
const W = 360;
const H = 220;
const PAD = { left: 36, right: 10, top: 28, bottom: 44 };

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function frame(title: string): SVGSVGElement {
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': title,
    class: 'chart',
  }) as SVGSVGElement;
  root.append(
    svg('text', { x: W / 2, y: 16, 'text-anchor': 'middle', class: 'chart-title' }, title),
  );
  return root;
}

function legend(root: SVGElement, names: string[]): void {
  names.forEach((name, i) => {
    const x = PAD.left + (i % 3) * 110;
    const y = H - 16 + Math.floor(i / 3) * 12;
    root.append(
      svg('rect', { x, y: y - 8, width: 8, height: 8, fill: COLOURS[i % COLOURS.length] }),
    );
    root.append(
      svg(
        'text',
        { x: x + 11, y, class: 'chart-legend' },
        name.length > 18 ? `${name.slice(0, 17)}…` : name,
      ),
    );
  });
}

function columns(c: ChartView): SVGSVGElement {
  const root = frame(c.title);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const totals = c.labels.map((_, i) =>
    c.stacked
      ? c.series.reduce((s, x) => s + x.values[i], 0)
      : Math.max(0, ...c.series.map((x) => x.values[i])),
  );
  const max = Math.max(1, ...totals);
  const band = plotW / Math.max(1, c.labels.length);
  root.append(
    svg('line', {
      x1: PAD.left,
      y1: PAD.top + plotH,
      x2: W - PAD.right,
      y2: PAD.top + plotH,
      stroke: '#dadce0',
    }),
  );
  root.append(
    svg(
      'text',
      { x: PAD.left - 4, y: PAD.top + 4, 'text-anchor': 'end', class: 'chart-axis' },
      String(max),
    ),
  );
  c.labels.forEach((label, i) => {
    let base = PAD.top + plotH;
    c.series.forEach((s, k) => {
      const h = (s.values[i] / max) * plotH;
      const width = c.stacked ? band * 0.6 : (band * 0.7) / c.series.length;
      const x = PAD.left + i * band + band * 0.15 + (c.stacked ? 0 : k * width);
      const y = c.stacked ? base - h : PAD.top + plotH - h;
      if (h > 0)
        root.append(
          svg('rect', {
            x,
            y,
            width: Math.max(1, width - 1),
            height: h,
            fill: COLOURS[k % COLOURS.length],
          }),
        );
      if (c.stacked) base -= h;
    });
    root.append(
      svg(
        'text',
        {
          x: PAD.left + i * band + band / 2,
          y: PAD.top + plotH + 12,
          'text-anchor': 'middle',
          class: 'chart-axis',
        },
        label,
      ),
    );
  });
  if (c.series.length > 1)
    legend(
      root,
      c.series.map((s) => s.name),
    );
  return root;
}

function line(c: ChartView): SVGSVGElement {
  const root = frame(c.title);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const values = c.series[0]?.values ?? [];
  const max = Math.max(40, ...values);
  const x = (i: number) =>
    PAD.left + (values.length <= 1 ? plotW / 2 : (i / (values.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  root.append(
    svg('line', {
      x1: PAD.left,
      y1: y(40),
      x2: W - PAD.right,
      y2: y(40),
      stroke: '#d93025',
      'stroke-dasharray': '4 3',
    }),
  );
  root.append(
    svg(
      'text',
      { x: W - PAD.right, y: y(40) - 3, 'text-anchor': 'end', class: 'chart-axis' },
      '40% target',
    ),
  );
  root.append(
    svg('polyline', {
      points: values.map((v, i) => `${x(i)},${y(v)}`).join(' '),
      fill: 'none',
      stroke: COLOURS[1],
      'stroke-width': 2,
    }),
  );
  values.forEach((v, i) => {
    root.append(svg('circle', { cx: x(i), cy: y(v), r: 3, fill: COLOURS[1] }));
    // The first and last labels hang inward so they stay inside the picture.
    const last = values.length > 1 && i === values.length - 1;
    const anchor = values.length > 1 && i === 0 ? 'start' : last ? 'end' : 'middle';
    root.append(
      svg(
        'text',
        { x: x(i), y: PAD.top + plotH + 12, 'text-anchor': anchor, class: 'chart-axis' },
        c.labels[i],
      ),
    );
  });
  return root;
}

function pie(c: ChartView): SVGSVGElement {
  const root = frame(c.title);
  const values = c.series[0]?.values ?? [];
  const total = values.reduce((a, b) => a + b, 0);
  const cx = 110;
  const cy = 120;
  const r = 70;
  let angle = -Math.PI / 2;
  values.forEach((v, i) => {
    if (v <= 0 || total === 0) return;
    const slice = (v / total) * Math.PI * 2;
    const end = angle + slice;
    const path =
      slice >= Math.PI * 2 - 1e-9
        ? `M ${cx - r} ${cy} a ${r} ${r} 0 1 0 ${2 * r} 0 a ${r} ${r} 0 1 0 ${-2 * r} 0`
        : `M ${cx} ${cy} L ${cx + r * Math.cos(angle)} ${cy + r * Math.sin(angle)} A ${r} ${r} 0 ${slice > Math.PI ? 1 : 0} 1 ${cx + r * Math.cos(end)} ${cy + r * Math.sin(end)} Z`;
    root.append(svg('path', { d: path, fill: COLOURS[i % COLOURS.length], stroke: '#fff' }));
    angle = end;
  });
  c.labels.forEach((label, i) => {
    const y = 50 + i * 16;
    root.append(
      svg('rect', { x: 200, y: y - 9, width: 10, height: 10, fill: COLOURS[i % COLOURS.length] }),
    );
    root.append(svg('text', { x: 215, y, class: 'chart-legend' }, `${label} (${values[i] ?? 0})`));
  });
  return root;
}

export function renderChart(c: ChartView): SVGSVGElement {
  if (c.series.every((s) => s.values.every((v) => v === 0))) {
    const root = frame(c.title);
    root.append(
      svg(
        'text',
        { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'chart-axis' },
        'No data yet',
      ),
    );
    return root;
  }
  if (c.type === 'PIE') return pie(c);
  if (c.type === 'LINE' || c.type === 'AREA') return line(c);
  return columns(c);
}
