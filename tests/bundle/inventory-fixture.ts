/**
 * A messy, real-world-shaped inventory (issue 18): a title row above merged header wording,
 * dates in several formats, stray spaces, blank lines, duplicates of an existing entry and of
 * earlier lines. Each row is made as a kind whose outcome is known, so the expected dry run is
 * tallied here by hand, not by the product's code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GasRuntime } from '../../sandbox/gas/runtime';
import type { WorldData } from '../../sandbox/gas/model';

/** Hook points in dist/Code.js where an import's execution can be killed. */
const HOOKS: [RegExp, string][] = [
  [/^ {2}const imported = origins\(rows, first, origin\);$/m, 'written'],
  [/^ {2}let messages = \[\];\n(?= {2}if \(job\.position >= job\.rows\))/m, 'decided'],
];

function patchedCode(): string {
  let code = readFileSync(join(__dirname, '..', '..', 'dist', 'Code.js'), 'utf8');
  for (const [pattern, step] of HOOKS) {
    const n = code.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
    if (n !== 1) throw new Error(`hook point found ${n} times: ${pattern.source}`);
    code = code.replace(pattern, (line) => `  __hook("${step}");\n${line}`);
  }
  return (
    'var __hook = function (step) { var g = console.log.constructor("return globalThis")(); if (g.__kill) g.__kill(step); };\n' +
    code
  );
}

/** Runs `act` on a bundle that dies at `step`: the world is left as it was at that moment. */
export function killAt(rt: GasRuntime, step: string, act: (k: GasRuntime) => void): boolean {
  const killer = new GasRuntime({ world: rt.world, code: patchedCode(), now: rt.world.now });
  let saved: WorldData | null = null;
  (globalThis as Record<string, unknown>).__kill = (s: string) => {
    if (s !== step || saved) return;
    saved = structuredClone(rt.world);
    throw new Error(`killed at ${s}`);
  };
  try {
    act(killer);
  } finally {
    delete (globalThis as Record<string, unknown>).__kill;
  }
  if (!saved) return false;
  const back = saved as WorldData;
  for (const k of Object.keys(rt.world) as (keyof WorldData)[]) delete (rt.world as never)[k];
  Object.assign(rt.world, back);
  return true;
}

const TITLE = ['AI inventory 2024 (owner: IT governance)'];
const HEADERS = [
  'Project / App name',
  'Owner (email)',
  'Team / Dept',
  'Description of use',
  'Data classification level',
  'Systems / data sources',
  'AI assistant used',
  'Tool version',
  'Environment',
  'Date added',
];
const MAPPING = {
  Project: 0,
  'Creator Email': 1,
  Department: 2,
  'Business Purpose': 3,
  'Data Tier': 4,
  'Data Stores': 5,
  'AI Tool': 6,
  'AI Tool Version': 7,
  'Deployment Status': 8,
  'First Recorded': 9,
};

type Kind =
  | 'blank'
  | 't1'
  | 't2ok'
  | 't2bad'
  | 't3'
  | 't4'
  | 'noemail'
  | 'badstatus'
  | 'dupExisting'
  | 'dupEarlier';

const OUTCOME: Record<Exclude<Kind, 'blank' | 'dupExisting' | 'dupEarlier'>, string> = {
  t1: 'Approved',
  t2ok: 'Approved',
  t2bad: 'Needs Info',
  t3: 'In Review',
  t4: 'Blocked',
  noemail: 'Needs Info',
  badstatus: 'Needs Info',
};

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function messyInventory(
  n: number,
  seed: number,
): {
  rows: string[][];
  mapping: typeof MAPPING;
  expected: {
    rows: number;
    blank: number;
    toImport: number;
    duplicates: number;
    byApproval: Record<string, number>;
  };
} {
  const r = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const kinds: [Kind, number][] = [
    ['blank', 4],
    ['t1', 20],
    ['t2ok', 20],
    ['t2bad', 10],
    ['t3', 15],
    ['t4', 5],
    ['noemail', 4],
    ['badstatus', 3],
    ['dupExisting', 2],
    ['dupEarlier', 6],
  ];
  const total = kinds.reduce((s, [, w]) => s + w, 0);
  const kindOf = (): Kind => {
    let x = r() * total;
    for (const [k, w] of kinds) if ((x -= w) < 0) return k;
    return 't1';
  };
  const dates = (i: number): string => {
    const d = 1 + (i % 28);
    const m = 1 + (i % 12);
    const mm = String(m).padStart(2, '0');
    const dd = String(d).padStart(2, '0');
    const month = [
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ][m - 1];
    // The first numeric date is day-first beyond doubt (31/01/2024): the column reads day-first.
    if (i === 0) return '31/01/2024';
    return pick([
      `2024-${mm}-${dd}`,
      `${dd}/${mm}/2024`,
      `${d} ${month} 2024`,
      `${month} ${d}, 2024`,
      '',
      'n/a',
    ]);
  };
  const rows: string[][] = [TITLE, [], HEADERS];
  const keyed: { project: string; email: string }[] = [];
  const expected = {
    rows: 0,
    blank: 0,
    toImport: 0,
    duplicates: 0,
    byApproval: {} as Record<string, number>,
  };
  const count = (approval: string) =>
    (expected.byApproval[approval] = (expected.byApproval[approval] ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    let kind = kindOf();
    if (kind === 'dupEarlier' && keyed.length === 0) kind = 't1';
    if (kind === 'blank') {
      rows.push(['', '', '', '']);
      expected.blank++;
      continue;
    }
    expected.rows++;
    const person = `person${1 + Math.floor(r() * 400)}@example.com`;
    const project = `  Project ${String(i).padStart(4, '0')} ${pick(['helper', 'bot', 'report', 'sync'])} `;
    const row = [
      project,
      pick([person, person.toUpperCase(), `Someone <${person}>`]),
      pick(['Finance', 'Sales', 'IT', 'HR', 'Support']),
      'Does a useful thing',
      '',
      '',
      pick(['Gemini', 'Cursor', 'claude code']),
      pick(['1', '2.0', 'Pro']),
      pick(['dev', 'Live', 'Pilot', 'In production', 'Development']),
      dates(i),
    ];
    switch (kind) {
      case 't1':
        row[4] = pick(['Public', '1', 'T1', 'tier 1', 'Tier 1 - Public']);
        break;
      case 't2ok':
        row[4] = pick(['Internal', '2', 'Tier 2']);
        row[6] = pick(['Claude Code', 'claude code', 'CLAUDE CODE', 'Claude-Code']);
        break;
      case 't2bad':
        row[4] = pick(['Internal', '2']);
        row[6] = pick(['GitHub Copilot', 'copilot', 'ChatGPT']);
        break;
      case 't3':
        row[4] = pick(['Confidential', '3', 'Sensitive']);
        row[8] = pick(['dev', 'Pilot', 'Prototype']);
        break;
      case 't4':
        row[4] = pick(['PCI', 'Restricted', 'Regulated', '4']);
        break;
      case 'noemail':
        row[4] = 'Public';
        row[1] = pick(['', 'n/a', 'IT team']);
        break;
      case 'badstatus':
        row[4] = 'Public';
        row[8] = pick(['Unknown', 'TBD', '?']);
        break;
      case 'dupExisting':
        row[0] = pick(['Ticket drafter', 'ticket  drafter', 'Ticket Drafter']);
        row[1] = 'dana@example.com';
        row[4] = 'Public';
        break;
      case 'dupEarlier': {
        const earlier = pick(keyed);
        row[0] = earlier.project.toUpperCase();
        row[1] = earlier.email;
        row[4] = 'Public';
        break;
      }
    }
    rows.push(row);
    if (kind === 'dupExisting' || kind === 'dupEarlier') {
      expected.duplicates++;
      continue;
    }
    expected.toImport++;
    count(OUTCOME[kind]);
    if (kind !== 'noemail') keyed.push({ project: project.trim(), email: person });
  }
  return { rows, mapping: MAPPING, expected };
}
