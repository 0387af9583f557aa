/**
 * `npm run bench`: how the built add-on behaves at registry scale in the runtime. Reports
 * wall time (this machine, indicative), Sheets calls (exact) and heap. Run after a build.
 */
import { INPUT_FIELDS } from '../src/domain/entry';
import { GasRuntime } from '../sandbox/gas/runtime';
import type { ExecutionRecord } from '../sandbox/gas/model';

const ADMIN = 'admin@example.com';
const SECURITY = 'admin@example.com';
const EMPLOYEE = 'dana@example.com';
const ROWS = Number(process.env.BENCH_ROWS ?? 10000);

function row(i: number): string[] {
  const values: Record<string, string> = {
    'Creator Email': `person${i % 400}@example.com`,
    Department: ['Marketing', 'Sales', 'Finance', 'Engineering'][i % 4],
    Project: `Project ${i}`,
    'Business Purpose': 'Automates a weekly report for the team.',
    'Data Tier': String((i % 4) + 1),
    'Data Stores': '',
    'AI Tool': i % 3 ? 'Claude Code' : 'ChatGPT',
    'AI Tool Version': '1.0',
    'Deployment Status': i % 5 ? 'Development' : 'Production',
  };
  return INPUT_FIELDS.map((f) => values[f]);
}

function report(label: string, started: number, records: ExecutionRecord[]): void {
  const ms = Date.now() - started;
  const calls = records.reduce(
    (sum, r) => ({
      reads: sum.reads + r.calls.reads,
      writes: sum.writes + r.calls.writes,
      formatting: sum.formatting + r.calls.formatting,
    }),
    { reads: 0, writes: 0, formatting: 0 },
  );
  const failed = records.filter((r) => !r.ok).map((r) => `${r.fn}: ${r.error}`);
  const heap = Math.round(process.memoryUsage().heapUsed / 1048576);
  console.log(
    `${label.padEnd(46)} ${String(ms).padStart(7)} ms   reads ${String(calls.reads).padStart(3)}  writes ${String(calls.writes).padStart(3)}  formatting ${String(calls.formatting).padStart(3)}   heap ${heap} MB${failed.length ? `   FAILED ${failed.join('; ')}` : ''}`,
  );
  if (failed.length) process.exitCode = 1;
}

const rt = new GasRuntime({ now: '2026-11-24T15:00:00Z' });
let t = Date.now();
const setup = rt.clickMenu('Security team > Set up or repair registry', ADMIN);
report('set up registry', t, [setup.record]);

t = Date.now();
const pasted = rt.edit(
  'Registry',
  `C2:K${ROWS + 1}`,
  Array.from({ length: ROWS }, (_, i) => row(i)),
  EMPLOYEE,
);
report(`paste ${ROWS} rows (one execution)`, t, pasted.executions);

t = Date.now();
const one = rt.edit('Registry', `E${Math.floor(ROWS / 2)}`, [['Renamed project']], EMPLOYEE);
report(`edit one cell of a ${ROWS}-row registry`, t, one.executions);

t = Date.now();
const chunk = rt.edit(
  'Registry',
  `C${ROWS + 2}:K${ROWS + 301}`,
  Array.from({ length: 300 }, (_, i) => row(ROWS + i)),
  EMPLOYEE,
);
report(`paste 300 rows onto ${ROWS} rows`, t, chunk.executions);

t = Date.now();
const daily = rt.clickMenu('Security team > Run daily checks now', SECURITY);
report(`daily checks at ${ROWS + 300} rows`, t, [daily.record]);
if (!daily.ui[0]?.message.includes('passed')) {
  console.log(daily.ui[0]?.message);
  process.exitCode = 1;
}

for (const item of ['Adoption & SLA report', 'Audit evidence pack']) {
  t = Date.now();
  const result = rt.clickMenu(`Security team > ${item}`, SECURITY);
  report(`${item} at ${ROWS + 300} rows`, t, [result.record]);
  if (result.ui.some((u) => u.type === 'error')) process.exitCode = 1;
}
