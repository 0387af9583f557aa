import {
  normaliseDeploymentStatus,
  parseDataStores,
  validateEntry,
  type RawEntry,
} from '../../src/domain/entry';
import { normaliseTier } from '../../src/domain/tiers';

const VALID: RawEntry = {
  'Creator Email': 'Dana@Example.com ',
  Department: 'Marketing',
  Project: 'Campaign mailer',
  'Business Purpose': 'Sends the weekly campaign email to subscribers.',
  'Data Tier': 'T1',
  'Data Stores': 'Marketing CMS',
  'AI Tool': 'ChatGPT',
  'AI Tool Version': 4,
  'Deployment Status': 'prod',
};

describe('tier normalisation', () => {
  test.each([
    ['3', 'Tier 3 - Confidential'],
    [3, 'Tier 3 - Confidential'],
    ['T3', 'Tier 3 - Confidential'],
    ['t 3', 'Tier 3 - Confidential'],
    ['tier 3', 'Tier 3 - Confidential'],
    ['Tier3', 'Tier 3 - Confidential'],
    ['Confidential', 'Tier 3 - Confidential'],
    ['tier 3 - confidential', 'Tier 3 - Confidential'],
    ['Tier 3 – Confidential', 'Tier 3 - Confidential'],
    ['public', 'Tier 1 - Public'],
    ['Marketing', 'Tier 1 - Public'],
    ['internal', 'Tier 2 - Internal'],
    ['REGULATED', 'Tier 4 - Regulated'],
    ['Tier 4 - Regulated', 'Tier 4 - Regulated'],
    ['5', null],
    ['0', null],
    [2.5, null],
    ['Tier 2 - Confidential', null],
    ['secret', null],
    ['', null],
    [null, null],
  ])('%p → %p', (input, tier) => {
    expect(normaliseTier(input)).toBe(tier);
  });
});

describe('deployment status', () => {
  test.each([
    ['dev', 'Development'],
    ['Development', 'Development'],
    [' PROD ', 'Production'],
    ['production', 'Production'],
    ['decommissioned', 'Decommissioned'],
    ['live', null],
    ['', null],
  ])('%p → %p', (input, status) => {
    expect(normaliseDeploymentStatus(input)).toBe(status);
  });
});

describe('entry validation', () => {
  test('a valid row is normalised and the lenient words are corrected', () => {
    const v = validateEntry(VALID);
    expect(v.problems).toEqual([]);
    expect(v.entry).toEqual({
      creatorEmail: 'dana@example.com',
      department: 'Marketing',
      project: 'Campaign mailer',
      businessPurpose: 'Sends the weekly campaign email to subscribers.',
      dataTier: 'Tier 1 - Public',
      dataStores: ['Marketing CMS'],
      aiTool: 'ChatGPT',
      aiToolVersion: '4',
      deploymentStatus: 'Production',
    });
    expect(v.corrections).toEqual({
      'Data Tier': 'Tier 1 - Public',
      'Deployment Status': 'Production',
    });
  });

  test.each([
    ['Creator Email', 'not-an-email', 'Creator Email "not-an-email" is not an email address.'],
    ['Creator Email', '', 'Creator Email is missing: enter your work email address.'],
    [
      'Business Purpose',
      '   ',
      'Business Purpose is missing: say in one sentence what it does and for whom.',
    ],
    [
      'Business Purpose',
      'x'.repeat(10000),
      'Business Purpose is 10,000 characters long; keep it to 300 characters or fewer.',
    ],
    [
      'Project',
      'p'.repeat(101),
      'Project is 101 characters long; keep it to 100 characters or fewer.',
    ],
    [
      'Project',
      new Date('2026-01-02T00:00:00Z'),
      'Project looks like a date; enter it as text (give the project a short name).',
    ],
    [
      'Data Tier',
      'secret',
      'Data Tier "secret" is not a tier: choose Tier 1 (public), 2 (internal), 3 (confidential) or 4 (regulated).',
    ],
    [
      'Deployment Status',
      'live',
      'Deployment Status "live" is not one of Development, Production, Decommissioned.',
    ],
    ['AI Tool', '', 'AI Tool is missing: which AI tool built it (for example Claude Code)?'],
    [
      'Data Stores',
      's'.repeat(600),
      'Data Stores is 600 characters long; keep it to 500 characters or fewer.',
    ],
    [
      'Data Stores',
      Array.from({ length: 21 }, (_, i) => `Store ${i}`).join(', '),
      'Data Stores lists 21 stores; list at most 20 (register a project per system if it touches more).',
    ],
  ])('%s = %p', (field, value, problem) => {
    const v = validateEntry({ ...VALID, [field]: value });
    expect(v.entry).toBeNull();
    expect(v.problems).toEqual([problem]);
  });

  test('with a departments list, a department must be on it (case is corrected)', () => {
    expect(
      validateEntry({ ...VALID, Department: 'marketing' }, ['Marketing', 'Sales']).corrections
        .Department,
    ).toBe('Marketing');
    expect(validateEntry({ ...VALID, Department: 'Ops' }, ['Marketing', 'Sales']).problems).toEqual(
      ['Department "Ops" is not in the list: choose one of Marketing, Sales.'],
    );
  });

  test('data stores are split on commas, trimmed and de-duplicated', () => {
    expect(parseDataStores(' CRM ,hr database;; CRM\nHR Database ')).toEqual([
      'CRM',
      'hr database',
    ]);
  });
});
