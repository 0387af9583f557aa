import { DEPLOYMENT_STATUSES, type DeploymentStatus, type Tier } from './schema';
import { isEmail, normaliseEmail } from './settings';
import { normaliseTier } from './tiers';

/** The columns people fill (DESIGN §2), with the limits that keep entries readable. */
export const INPUT_FIELDS = [
  'Creator Email',
  'Department',
  'Project',
  'Business Purpose',
  'Data Tier',
  'Data Stores',
  'AI Tool',
  'AI Tool Version',
  'Deployment Status',
] as const;
export type InputField = (typeof INPUT_FIELDS)[number];

export const LIMITS = {
  project: 100,
  purpose: 300,
  department: 60,
  tool: 60,
  version: 40,
  /** Data Stores: the whole cell, and how many names it lists. */
  dataStores: 500,
  dataStoreCount: 20,
} as const;

export type RawValue = string | number | boolean | Date | null | undefined;
export type RawEntry = Partial<Record<InputField, RawValue>>;

/** A registry entry whose every required field is valid. */
export interface RegistryEntry {
  creatorEmail: string;
  department: string;
  project: string;
  businessPurpose: string;
  dataTier: Tier;
  dataStores: string[];
  aiTool: string;
  aiToolVersion: string;
  deploymentStatus: DeploymentStatus;
}

export interface Validation {
  /** Present when every required field is valid. */
  entry: RegistryEntry | null;
  /** One plain sentence per problem, naming the field. */
  problems: string[];
  /** Canonical words for leniently typed cells, to write back (`3` → `Tier 3 - Confidential`). */
  corrections: Partial<Record<InputField, string>>;
}

const STATUS_WORDS: Record<string, DeploymentStatus> = {
  dev: 'Development',
  development: 'Development',
  prod: 'Production',
  production: 'Production',
  decommissioned: 'Decommissioned',
  decom: 'Decommissioned',
};

export function normaliseDeploymentStatus(input: unknown): DeploymentStatus | null {
  if (typeof input !== 'string') return null;
  return STATUS_WORDS[input.trim().toLowerCase()] ?? null;
}

export function isBlank(v: RawValue): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

const isDate = (v: RawValue): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** Splits "CRM, HR Database" into names; empty parts are dropped, duplicates kept once. */
export function parseDataStores(v: RawValue): string[] {
  if (isBlank(v) || typeof v !== 'string') return [];
  const names = v
    .split(/[,;\n]/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s !== '');
  return names.filter((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i);
}

/**
 * Checks the person-filled fields of one row. Text fields accept numbers (a version typed as
 * 2) but not dates: a date where text belongs means the cell was misread or mistyped.
 */
export function validateEntry(raw: RawEntry, departments: readonly string[] = []): Validation {
  const problems: string[] = [];
  const corrections: Partial<Record<InputField, string>> = {};

  const text = (field: InputField, limit: number, hint: string): string => {
    const v = raw[field];
    if (isBlank(v)) {
      problems.push(`${field} is missing: ${hint}`);
      return '';
    }
    if (isDate(v)) {
      problems.push(`${field} looks like a date; enter it as text (${hint.replace(/\.$/, '')}).`);
      return '';
    }
    const s = String(v).trim();
    if (s.length > limit) {
      problems.push(
        `${field} is ${s.length.toLocaleString('en-US')} characters long; keep it to ${limit} characters or fewer.`,
      );
    }
    return s;
  };

  const emailRaw = raw['Creator Email'];
  let creatorEmail = '';
  if (isBlank(emailRaw)) problems.push('Creator Email is missing: enter your work email address.');
  else if (typeof emailRaw !== 'string' || !isEmail(emailRaw.trim())) {
    problems.push(`Creator Email "${String(emailRaw).slice(0, 80)}" is not an email address.`);
  } else creatorEmail = normaliseEmail(emailRaw);

  const department = text('Department', LIMITS.department, 'which team is this for?');
  if (department && department.length <= LIMITS.department && departments.length > 0) {
    const match = departments.find((d) => d.toLowerCase() === department.toLowerCase());
    if (!match)
      problems.push(
        `Department "${department}" is not in the list: choose one of ${departments.slice(0, 12).join(', ')}${departments.length > 12 ? ` (or one of ${departments.length - 12} more in the Register panel)` : ''}.`,
      );
    else if (match !== department) corrections.Department = match;
  }
  const project = text('Project', LIMITS.project, 'give the project a short name.');
  const businessPurpose = text(
    'Business Purpose',
    LIMITS.purpose,
    'say in one sentence what it does and for whom.',
  );

  const tierRaw = raw['Data Tier'];
  const dataTier = normaliseTier(tierRaw);
  if (isBlank(tierRaw)) {
    problems.push(
      'Data Tier is missing: choose Tier 1 (public), 2 (internal), 3 (confidential) or 4 (regulated).',
    );
  } else if (!dataTier) {
    problems.push(
      `Data Tier "${String(tierRaw).slice(0, 40)}" is not a tier: choose Tier 1 (public), 2 (internal), 3 (confidential) or 4 (regulated).`,
    );
  } else if (tierRaw !== dataTier) corrections['Data Tier'] = dataTier;

  const aiTool = text('AI Tool', LIMITS.tool, 'which AI tool built it (for example Claude Code)?');
  const aiToolVersion = text(
    'AI Tool Version',
    LIMITS.version,
    'which version or plan of the tool?',
  );

  const statusRaw = raw['Deployment Status'];
  const deploymentStatus = normaliseDeploymentStatus(statusRaw);
  if (isBlank(statusRaw)) {
    problems.push(`Deployment Status is missing: choose ${DEPLOYMENT_STATUSES.join(', ')}.`);
  } else if (!deploymentStatus) {
    problems.push(
      `Deployment Status "${String(statusRaw).slice(0, 40)}" is not one of ${DEPLOYMENT_STATUSES.join(', ')}.`,
    );
  } else if (statusRaw !== deploymentStatus) corrections['Deployment Status'] = deploymentStatus;

  const dataStores = parseDataStores(raw['Data Stores']);
  const storesText = typeof raw['Data Stores'] === 'string' ? raw['Data Stores'].trim() : '';
  if (isDate(raw['Data Stores']))
    problems.push('Data Stores looks like a date; list data store names separated by commas.');
  else if (storesText.length > LIMITS.dataStores)
    problems.push(
      `Data Stores is ${storesText.length.toLocaleString('en-US')} characters long; keep it to ${LIMITS.dataStores} characters or fewer.`,
    );
  else if (dataStores.length > LIMITS.dataStoreCount)
    problems.push(
      `Data Stores lists ${dataStores.length} stores; list at most ${LIMITS.dataStoreCount} (register a project per system if it touches more).`,
    );

  const entry: RegistryEntry | null =
    problems.length === 0 && dataTier && deploymentStatus
      ? {
          creatorEmail,
          department: corrections.Department ?? department,
          project,
          businessPurpose,
          dataTier,
          dataStores,
          aiTool,
          aiToolVersion,
          deploymentStatus,
        }
      : null;
  return { entry, problems, corrections };
}

export type Decision = 'Approved' | 'Changes Requested' | 'Rejected';

const DECISION_WORDS: Record<string, Decision> = {
  approved: 'Approved',
  approve: 'Approved',
  'changes requested': 'Changes Requested',
  'request changes': 'Changes Requested',
  changes: 'Changes Requested',
  rejected: 'Rejected',
  reject: 'Rejected',
};

/**
 * A review decision typed or pasted by a person: case and spacing do not matter (`approved`,
 * ` Changes  requested `); anything else is not a decision.
 */
export function normaliseDecision(input: unknown): Decision | null {
  if (typeof input !== 'string') return null;
  return DECISION_WORDS[input.trim().replace(/\s+/g, ' ').toLowerCase()] ?? null;
}
