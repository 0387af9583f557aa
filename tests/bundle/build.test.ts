import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_FUNCTIONS } from '../../src/api';
import { TRIGGERS } from '../../src/services/triggers';
import { ROOT } from '../../sandbox/gas/runtime';
import type { MenuEntry } from '../../sandbox/gas/spreadsheet';
import { ADMIN, runtime, setUpRuntime } from '../helpers';

function menuFunctions(entries: MenuEntry[]): string[] {
  return entries.flatMap((e) =>
    e === 'separator' ? [] : [...(e.fn ? [e.fn] : []), ...menuFunctions(e.submenu ?? [])],
  );
}

describe('the built Apps Script project', () => {
  test('every function a menu item, an installed trigger or google.script.run names is top-level in dist/Code.js', () => {
    const rt = setUpRuntime();
    const topLevel = rt.topLevelFunctions();
    const named = [
      ...menuFunctions(rt.open(ADMIN)),
      ...rt.world.triggers.map((t) => t.handler),
      ...TRIGGERS.map((t) => t.handler),
      ...SERVER_FUNCTIONS,
      'onOpen',
      'onInstall',
    ];
    expect(named.length).toBeGreaterThan(5);
    for (const fn of named) expect(topLevel).toContain(fn);
  });

  test('the menu is the add-on menu, Extensions › Governed Path, with the captions of DESIGN §5', () => {
    const menus = runtime().open(ADMIN);
    const captions = (entries: MenuEntry[]): unknown[] =>
      entries.map((e) =>
        e === 'separator' ? '—' : e.submenu ? { [e.caption]: captions(e.submenu) } : e.caption,
      );
    expect(captions(menus)).toEqual([
      {
        Extensions: [
          {
            'Governed Path': [
              'Register an AI project',
              'Can I use AI with this data?',
              'My projects',
              '—',
              {
                'Security team': [
                  'Review queue',
                  'Import an inventory…',
                  'Adoption & SLA report',
                  'Monthly review report',
                  'Audit evidence pack',
                  'Export reviews for Jira (CSV)',
                  'Export registry (CSV or JSON)',
                  'Post decision tree to Slack',
                  'Run daily checks now',
                  'Check this spreadsheet',
                  'Settings',
                  'Set up or repair registry',
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  test('clasp would push exactly Code.js, Sidebar.html, Import.html and appsscript.json', () => {
    const out = execFileSync(
      join(ROOT, 'node_modules/.bin/clasp'),
      // .clasp.json is per person (git-ignored); the example has the same rootDir.
      ['-P', '.clasp.json.example', 'show-file-status', '--json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    const status = JSON.parse(out.slice(out.indexOf('{'))) as { filesToPush: string[] };
    expect(status.filesToPush.map((f) => f.replace(/^dist\//, '')).sort()).toEqual([
      'Code.js',
      'Import.html',
      'Sidebar.html',
      'appsscript.json',
    ]);
  });

  test.each(['Sidebar.html', 'Import.html'])(
    '%s is one self-contained file under 60 KB that loads nothing from outside',
    (file) => {
      const html = readFileSync(join(ROOT, 'dist', file), 'utf8');
      expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
      expect(html).not.toMatch(/<script[^>]+src=/i);
      expect(statSync(join(ROOT, 'dist', file)).size).toBeLessThan(60 * 1024);
    },
  );

  test('the manifest asks only for the scopes docs/deploy.md justifies, and fetches only the notification hosts', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/appsscript.json'), 'utf8'));
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.urlFetchWhitelist).toEqual(
      JSON.parse(readFileSync(join(ROOT, 'appsscript.json'), 'utf8')).urlFetchWhitelist,
    );
    // Slack, Chat, Teams and the ticketing hosts (issue 16): nothing else, and never a bare wildcard.
    expect(manifest.urlFetchWhitelist).toContain('https://hooks.slack.com/');
    for (const prefix of manifest.urlFetchWhitelist as string[])
      expect(prefix).toMatch(/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/$/);
    // The hourly job has no document and opens the registry by ID: spreadsheets, not
    // spreadsheets.currentonly (DESIGN §10). Nothing of Drive.
    const doc = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
    for (const scope of manifest.oauthScopes as string[]) {
      expect(doc).toContain(scope.replace('https://www.googleapis.com/auth/', ''));
    }
    expect(manifest.oauthScopes).toContain('https://www.googleapis.com/auth/spreadsheets');
    expect(manifest.oauthScopes).not.toContain('https://www.googleapis.com/auth/drive');
  });
});
