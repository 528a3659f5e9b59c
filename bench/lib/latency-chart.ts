// A hand-written SVG chart of latency against offered rate, both on log axes: one colour per target, p99
// solid and p50 dashed, failing rates as hollow points, and the pass limit as a line to read them against.

export interface LatencyPoint {
  rate: number;
  p50: number;
  p99: number;
  passed: boolean;
}

export interface LatencySeries {
  name: string;
  points: LatencyPoint[];
}

export interface LatencyChart {
  title: string;
  subtitle: string;
  series: LatencySeries[];
  /** The p99 a rate must stay under, in ms. */
  limitMs: number;
}

const WIDTH = 760;
const HEIGHT = 460;
const PLOT = { left: 70, right: 190, top: 60, bottom: 60 };
const COLOURS = ['#444444', '#1f6fb4', '#d1492e', '#2a9d5c', '#8e5bb5'];

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Powers of ten covering [min, max], with 2 and 5 between them on the rate axis. */
function ticks(min: number, max: number, steps: readonly number[]): number[] {
  const values: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(min)); decade <= max; decade *= 10) {
    for (const step of steps) if (decade * step >= min && decade * step <= max) values.push(decade * step);
  }
  return values;
}

function logScale(min: number, max: number, from: number, to: number) {
  const span = Math.log10(max) - Math.log10(min) || 1;
  return (value: number) => from + ((Math.log10(value) - Math.log10(min)) / span) * (to - from);
}

const label = (value: number) => (value >= 1000 ? `${value / 1000}k` : String(value));

export function latencyChart(chart: LatencyChart): string {
  const points = chart.series.flatMap((series) => series.points);
  const latencies = points
    .flatMap((point) => [point.p50, point.p99])
    .filter((v) => Number.isFinite(v) && v > 0);
  const rates = points.map((point) => point.rate);
  // A margin either side so that the first and last points are not drawn on the frame.
  const rateMin = Math.min(...rates) / 1.3;
  const rateMax = Math.max(...rates) * 1.3;
  const latencyMin = 10 ** Math.floor(Math.log10(Math.min(...latencies, 1)));
  const latencyMax = 10 ** Math.ceil(Math.log10(Math.max(...latencies, chart.limitMs * 2)));
  const x = logScale(rateMin, rateMax, PLOT.left, WIDTH - PLOT.right);
  const y = logScale(latencyMin, latencyMax, HEIGHT - PLOT.bottom, PLOT.top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${xmlText(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="24" font-size="15" font-weight="600">${xmlText(chart.title)}</text>`,
    `<text x="${PLOT.left}" y="42" fill="#666">${xmlText(chart.subtitle)}</text>`,
  ];
  for (const tick of ticks(rateMin, rateMax, [1, 2, 5])) {
    parts.push(
      `<line x1="${x(tick)}" y1="${PLOT.top}" x2="${x(tick)}" y2="${HEIGHT - PLOT.bottom}" stroke="#eee"/>`,
      `<text x="${x(tick)}" y="${HEIGHT - PLOT.bottom + 16}" text-anchor="middle" fill="#555">${label(tick)}</text>`,
    );
  }
  for (const tick of ticks(latencyMin, latencyMax, [1])) {
    parts.push(
      `<line x1="${PLOT.left}" y1="${y(tick)}" x2="${WIDTH - PLOT.right}" y2="${y(tick)}" stroke="#eee"/>`,
      `<text x="${PLOT.left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#555">${tick < 1 ? tick : label(tick)}</text>`,
    );
  }
  parts.push(
    `<line x1="${PLOT.left}" y1="${y(chart.limitMs)}" x2="${WIDTH - PLOT.right}" y2="${y(chart.limitMs)}" stroke="#b00" stroke-dasharray="2 3"/>`,
    `<text x="${PLOT.left + 6}" y="${y(chart.limitMs) - 5}" fill="#b00">p99 limit ${chart.limitMs} ms</text>`,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${WIDTH - PLOT.left - PLOT.right}" height="${HEIGHT - PLOT.top - PLOT.bottom}" fill="none" stroke="#999"/>`,
    `<text x="${(PLOT.left + WIDTH - PLOT.right) / 2}" y="${HEIGHT - 18}" text-anchor="middle">offered rate (messages per second, log)</text>`,
    `<text transform="translate(18 ${(PLOT.top + HEIGHT - PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">send → receipt latency (ms, log)</text>`,
  );
  chart.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length];
    for (const [key, dash] of [
      ['p99', ''],
      ['p50', ' stroke-dasharray="6 4"'],
    ] as const) {
      const drawn = series.points.filter((point) => Number.isFinite(point[key]) && point[key] > 0);
      const path = drawn.map((point) => `${x(point.rate).toFixed(1)},${y(point[key]).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
      for (const point of drawn) {
        parts.push(
          `<circle cx="${x(point.rate).toFixed(1)}" cy="${y(point[key]).toFixed(1)}" r="3.5" stroke="${colour}" stroke-width="1.5" fill="${point.passed ? colour : '#fff'}"/>`,
        );
      }
    }
    const legendY = PLOT.top + 10 + index * 36;
    const legendX = WIDTH - PLOT.right + 16;
    parts.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 24}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${legendX + 30}" y="${legendY + 4}">${xmlText(series.name)} p99</text>`,
      `<line x1="${legendX}" y1="${legendY + 16}" x2="${legendX + 24}" y2="${legendY + 16}" stroke="${colour}" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text x="${legendX + 30}" y="${legendY + 20}">${xmlText(series.name)} p50</text>`,
    );
  });
  const noteY = PLOT.top + 20 + chart.series.length * 36;
  parts.push(
    `<circle cx="${WIDTH - PLOT.right + 22}" cy="${noteY}" r="3.5" stroke="#444" fill="#fff"/>`,
    `<text x="${WIDTH - PLOT.right + 34}" y="${noteY + 4}">rate failed</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
