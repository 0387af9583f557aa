/**
 * Corpus (issue 15, deliverable 8): long values typed into every column people and the team
 * may edit. Whatever is typed, no execution fails, no cell the add-on writes passes Sheets'
 * 50,000 characters, and the daily check and the evidence pack still answer with sentences.
 */
import type { GasRuntime } from '../../sandbox/gas/runtime';
import { INPUT_FIELDS } from '../../src/domain/entry';
import { addToSecurityTeam, EMPLOYEE, registryInputs, SECURITY, setUpRuntime } from '../helpers';

const LONG = 'x'.repeat(49_999);
const CHECK = 'Security team > Run daily checks now';
const PACK = 'Security team > Audit evidence pack';

function longestCell(rt: GasRuntime): number {
  let longest = 0;
  for (const sheet of rt.world.spreadsheet.sheets)
    for (const line of sheet.grid)
      for (const cell of line ?? []) longest = Math.max(longest, String(cell?.v ?? '').length);
  return longest;
}

test.each([
  ['Registry', 'Project', EMPLOYEE],
  ['Registry', 'Business Purpose', EMPLOYEE],
  ['Registry', 'Department', EMPLOYEE],
  ['Registry', 'AI Tool', EMPLOYEE],
  ['Registry', 'AI Tool Version', EMPLOYEE],
  ['Registry', 'Creator Email', EMPLOYEE],
  ['Reviews', 'Notes', SECURITY],
  ['Reviews', 'Reviewer', SECURITY],
  ['AI Tools', 'How to Get Access', SECURITY],
  ['AI Tools', 'Notes', SECURITY],
  ['Data Stores', 'Description', SECURITY],
])('49,999 characters typed into %s %s break nothing', (sheet, header, user) => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.run('saveSettings', [{ departments: 'Support\nFinance' }], SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'A', 'Data Tier': '3' })], EMPLOYEE);
  rt.edit(
    'Data Stores',
    'A2:D2',
    [['HR Database', 'hr@example.com', 'Tier 4 - Regulated', 'Pay']],
    SECURITY,
  );
  const columns = rt.view(sheet).values[0];
  const letter = String.fromCharCode(65 + columns.indexOf(header));
  const edited = rt.edit(sheet, `${letter}2`, [[LONG]], user);
  expect(edited.executions.map((e) => e.error ?? null)).toEqual(edited.executions.map(() => null));
  const decided = rt.run(
    'decideReview',
    ['R-0001', { decision: 'Rejected', note: 'Not with this tool.', threatModel: '' }],
    SECURITY,
  ) as { ok: boolean; error?: string };
  expect(decided.error ?? '').not.toContain('Something went wrong');
  rt.edit('Registry', 'C3:K3', [registryInputs({ Project: 'B', 'Data Tier': '2' })], EMPLOYEE);
  const daily = rt.clickMenu(CHECK, SECURITY).ui[0].message;
  expect(daily).not.toContain('Something went wrong');
  const pack = rt.clickMenu(PACK, SECURITY);
  expect(JSON.stringify(pack.ui)).not.toContain('Something went wrong');
  expect(rt.failures()).toEqual([]);
  expect(longestCell(rt)).toBeLessThanOrEqual(50_000);
});

describe('links: only https:// is kept or shown', () => {
  const BAD = [
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://example.com/tm',
    'https://ok.example/"><script>alert(1)</script>',
    '=HYPERLINK("javascript:alert(1)")',
    `https://example.com/${'a'.repeat(1200)}`,
  ];

  test.each(BAD)('a threat model link %p is refused typed and in the sidebar', (link) => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'A', 'Data Tier': '3' })], EMPLOYEE);
    const tm = String.fromCharCode(65 + rt.view('Reviews').values[0].indexOf('Threat Model'));
    rt.edit('Reviews', `${tm}2`, [[link]], SECURITY);
    expect(rt.view('Reviews').values[1][tm.charCodeAt(0) - 65]).toBe('');
    const decided = rt.run(
      'decideReview',
      ['R-0001', { decision: 'Approved', note: '', threatModel: link }],
      SECURITY,
    ) as { ok: boolean; error: string };
    expect(decided.ok).toBe(false);
    expect(decided.error).toMatch(
      /threat model link (must be an https:\/\/ address|can be at most)/,
    );
  });

  test.each(['javascript:alert(1)', 'See data:text/html,<b>x</b>', 'Go to http://intranet/ai'])(
    'How to Get Access %p is never shown or copied into Checks',
    (text) => {
      const rt = setUpRuntime();
      addToSecurityTeam(rt, SECURITY);
      const tools = rt.view('AI Tools').values;
      const access = String.fromCharCode(65 + tools[0].indexOf('How to Get Access'));
      for (let r = 2; r <= tools.length; r++)
        rt.edit('AI Tools', `${access}${r}`, [[text]], SECURITY);
      rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'A', 'Data Tier': '2' })], EMPLOYEE);
      const data = rt.run('getSidebarData', [], EMPLOYEE) as { ok: boolean; result: unknown };
      expect(data.ok).toBe(true);
      const shown = JSON.stringify(data.result) + JSON.stringify(rt.view('Registry').values);
      expect(shown).not.toMatch(/javascript:|data:text|http:\/\//);
    },
  );
});

test('a review note over 2,000 characters is refused with a sentence, nothing recorded', () => {
  const rt = setUpRuntime();
  addToSecurityTeam(rt, SECURITY);
  rt.edit('Registry', 'C2:K2', [registryInputs({ Project: 'A', 'Data Tier': '3' })], EMPLOYEE);
  const decided = rt.run(
    'decideReview',
    ['R-0001', { decision: 'Rejected', note: 'n'.repeat(2001), threatModel: '' }],
    SECURITY,
  ) as { ok: boolean; error: string };
  expect(decided).toMatchObject({
    ok: false,
    error: 'The note can be at most 2,000 characters (this one has 2,001).',
  });
  expect(rt.view('Reviews').values[1][rt.view('Reviews').values[0].indexOf('Status')]).toBe('Open');
});

describe('hostile text in every field: typed, pasted and from the sidebar', () => {
  const HOSTILE = [
    '=HYPERLINK("https://evil.example","x")',
    '+SUM(1,1)',
    '-2+3',
    '@A1',
    '\t=1+1',
    '<script>alert(1)</script><img src=x onerror=alert(1)>',
    '<!channel> <!here> <@U012AB3CD> <https://evil.example|click me> *bold* ~strike~',
    'مرحبا \u202Eevil\u202C rtl',
    'emoji 😀🚀 project',
    'zero\u200Bwidth\uFEFF',
    'cafe\u0301 combining',
    '2026-01-02',
    '1,234.50',
    'TRUE',
  ];
  const FIELDS = ['Project', 'Business Purpose', 'AI Tool Version'] as const;
  const SIDEBAR_KEY: Record<(typeof FIELDS)[number], string> = {
    Project: 'project',
    'Business Purpose': 'businessPurpose',
    'AI Tool Version': 'aiToolVersion',
  };

  /** No cell outside people's own inputs holds a formula, and Slack got only escaped text. */
  function harmless(rt: GasRuntime): void {
    // People's own input cells may hold what they typed; nothing the add-on writes does.
    const header = rt.view('Registry').values[0];
    const inputs = new Set(INPUT_FIELDS.map((h) => header.indexOf(h)));
    for (const sheet of rt.world.spreadsheet.sheets)
      for (const line of sheet.grid)
        (line ?? []).forEach((cell, c) => {
          if (sheet.name === 'Registry' && inputs.has(c)) return;
          expect(cell?.f ?? '').toBe('');
        });
    const outbox = Object.entries(rt.registryProperties())
      .filter(([k, v]) => k.startsWith('outbox.') && !JSON.parse(v).channel)
      .map(([, v]) => JSON.parse(v) as { message: unknown });
    const sent = JSON.stringify(outbox.map((r) => r.message));
    expect(sent).not.toMatch(/<!channel>|<!here>|<@U|<https:\/\/evil/);
    expect(rt.failures()).toEqual([]);
  }

  // One registry per field (a registry per value cost a minute and a half): every value
  // pasted as its own row, typed over a decided row, and sent from the sidebar.
  test.each(FIELDS)('%s: every hostile value, typed, pasted and from the sidebar', (field) => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.registryProperties().slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/x';
    const n = HOSTILE.length;
    rt.edit(
      'Registry',
      `C2:K${n + 1}`,
      HOSTILE.map((value, i) => registryInputs({ Project: `Pasted ${i}`, [field]: value })),
      EMPLOYEE,
      'paste',
    );
    rt.edit('Registry', `C${n + 2}:K${n + 2}`, [registryInputs({ Project: 'Typed' })], EMPLOYEE);
    const col = String.fromCharCode(65 + rt.view('Registry').values[0].indexOf(field));
    for (const value of HOSTILE) {
      rt.edit('Registry', `${col}${n + 2}`, [[value]], EMPLOYEE);
      const form = {
        creatorEmail: EMPLOYEE,
        department: 'Support',
        project: 'Sidebar',
        businessPurpose: 'Summarises tickets.',
        dataTier: 'Tier 3 - Confidential',
        dataStores: [],
        aiTool: 'Claude Code',
        aiToolVersion: '1.0',
        deploymentStatus: 'Development',
        [SIDEBAR_KEY[field]]: value,
      };
      const registered = rt.run('registerProject', [form], EMPLOYEE) as {
        ok: boolean;
        error?: string;
      };
      if (!registered.ok) expect(registered.error).not.toContain('Something went wrong');
    }
    expect(rt.run('listMyProjects', [], EMPLOYEE)).toMatchObject({ ok: true });
    expect(rt.run('listReviewQueue', [], SECURITY)).toMatchObject({ ok: true });
    expect(
      rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message,
    ).not.toContain('Something went wrong');
    harmless(rt);
  });

  test.each([
    ['registerProject', [null]],
    ['registerProject', [[1, 2]]],
    ['registerProject', ['{"project":"x"}']],
    ['registerProject', [{ project: { toString: 1 } }]],
    ['decideReview', [null, null]],
    ['decideReview', [['R-0001'], { decision: ['Approved'] }]],
    ['decideReview', ['R-0001', { decision: 'Approved', note: 42, threatModel: {} }]],
    ['setCoOwners', ['AI-0001', 'not a list']],
    ['setCoOwners', ['AI-0001', Array.from({ length: 500 }, (_, i) => `p${i}@example.com`)]],
    ['attestProject', [{}, 'decommission']],
    ['saveSettings', [{ reviewSlaDays: { $gt: 1 } }]],
    ['saveSettings', [[]]],
    ['classifyData', ['yes']],
  ])('google.script.run %s with %j answers a sentence', (fn, args) => {
    const rt = setUpRuntime();
    addToSecurityTeam(rt, SECURITY);
    rt.edit('Registry', 'C2:K2', [registryInputs({ 'Data Tier': '3' })], EMPLOYEE);
    const out = rt.run(fn, args as unknown[], SECURITY) as { ok: boolean; error?: string };
    if (!out.ok) {
      expect(out.error).toMatch(/^[A-Z"].{5,400}[.)]$/s);
      expect(out.error).not.toMatch(/Something went wrong|TypeError|undefined|at \w+ \(/);
    }
  });
});
