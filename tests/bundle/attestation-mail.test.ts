/** Attestation mail within MailApp's quota and the 6-minute limit, each mail on its own. */
import { creatorMail, CREATORS, runtime as fixtureRuntime } from './attestation-fixture';
import { SECURITY, useSlackReceiver } from '../helpers';
import { MAIL_IN_DAILY_RUN } from '../../src/sheets/attestation';

const slack = useSlackReceiver();
const runtime = (options: Parameters<typeof fixtureRuntime>[1] = {}) =>
  fixtureRuntime(slack, options);

test('with a mail quota of 3 and 5 creators, all 5 are emailed over two days', () => {
  const rt = runtime({ mailQuota: 3 });
  rt.advanceTo('2027-01-04T12:00:00Z');
  expect(creatorMail(rt).map((m) => m.to)).toEqual(CREATORS.slice(0, 3));
  const report = rt.clickMenu('Security team > Run daily checks now', SECURITY).ui[0].message;
  expect(report).toContain('2 creator(s) will be emailed tomorrow (daily mail quota).');
  rt.advanceTo('2027-01-05T12:00:00Z');
  expect(
    creatorMail(rt)
      .map((m) => m.to)
      .sort(),
  ).toEqual(CREATORS);
});

test('an address MailApp rejects is reported; every other creator still gets their mail, once', () => {
  const odd = 'cai@example.com'; // a valid address that Gmail refuses (injected)
  const rt = runtime({ creators: [CREATORS[0], CREATORS[1], odd, CREATORS[3]] });
  rt.world.mailRefuses = [odd];
  rt.advanceTo('2027-01-04T12:00:00Z');
  expect(creatorMail(rt).map((m) => m.to)).toEqual([CREATORS[0], CREATORS[1], CREATORS[3]]);
  const report = JSON.parse(rt.registryProperties().lastDailyCheck) as { lines: string[] };
  expect(report.lines.join('\n')).toContain(
    `Q1 2027 attestation: 1 address(es) could not be emailed (${odd}); check their Creator Email.`,
  );
  rt.advanceTo('2027-01-06T12:00:00Z');
  expect(creatorMail(rt)).toHaveLength(3);
});

test('more creators than one run may mail: the rest go out in the next hourly run, nobody twice, and never to an owner a forged seal names', () => {
  const many = Array.from({ length: 54 }, (_, i) => `p${String(i).padStart(3, '0')}@example.com`);
  const rt = runtime({ creators: many, mailQuota: 1500 });
  rt.advanceTo('2027-01-04T11:30:00Z'); // the daily work (06:00 New York) has run
  // The daily run mails its share; the hourly runs carry on.
  expect(creatorMail(rt)).toHaveLength(MAIL_IN_DAILY_RUN);
  const report = JSON.parse(rt.registryProperties().lastDailyCheck) as { lines: string[] };
  expect(report.lines.join('\n')).toContain(
    `${54 - MAIL_IN_DAILY_RUN} creator(s) will be emailed in the next hourly run.`,
  );
  // The next run takes owners from authentic seals only, whatever the log was made to say.
  // Someone with the log's edit rights adds a snapshot by hand for a seal that makes them an
  // owner of the last creator's entry (its MAC is not valid; the address sorts after everyone
  // mailed so far, so this run would mail it).
  const registry = rt.world.spreadsheet.sheets.find((s) => s.name === 'Registry')!;
  const sealCol = rt.view('Registry').values[0].indexOf('Seal');
  const rowIndex = rt.view('Registry').values.findIndex((r) => r[2] === 'p053@example.com');
  const seal = JSON.parse(String(registry.grid[rowIndex][sealCol]!.v)) as { w: string[] };
  const forged = JSON.stringify({ ...seal, w: [...seal.w, 'zz.mallory@example.com'] });
  registry.grid[rowIndex][sealCol] = { v: forged };
  const log = rt.world.spreadsheet.sheets.find((s) => s.name === 'Audit Log')!;
  const id = rt.view('Registry').values[rowIndex][0];
  log.grid[rt.view('Audit Log').values.length] = [
    ...['2027-01-04T12:00:00Z', 'x', 'Edited', id, 'Project', '', '', 'f'.repeat(64)],
    JSON.stringify({ seal: forged, cells: {} }),
  ].map((v) => ({ v }));
  rt.advanceTo('2027-01-04T14:00:00Z');
  expect(
    creatorMail(rt)
      .map((m) => m.to)
      .sort(),
  ).toEqual(many);
  expect(rt.registryProperties().attestation.length).toBeLessThan(400);
});
