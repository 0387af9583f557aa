/**
 * The registry's user-visible contract (DESIGN §2): sheet names, headers and the words people
 * see in cells. Columns are always found by header text, never by position, so the order here
 * is only the order a fresh sheet is created with.
 */

export const TIERS = [
  'Tier 1 - Public',
  'Tier 2 - Internal',
  'Tier 3 - Confidential',
  'Tier 4 - Regulated',
] as const;
export type Tier = (typeof TIERS)[number];

export const DEPLOYMENT_STATUSES = ['Development', 'Production', 'Decommissioned'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const APPROVALS = [
  'Approved',
  'In Review',
  'Review Overdue',
  'Changes Requested',
  'Rejected',
  'Blocked',
  'Needs Info',
  'Re-review Due',
] as const;
export type Approval = (typeof APPROVALS)[number];

/**
 * `Closed`: the review's entry no longer needs one (downgraded below Tier 3, raised to Tier 4
 * and blocked, decommissioned); the add-on closes it with the reason in Notes (issue 15).
 */
export const REVIEW_STATUSES = [
  'Open',
  'Re-review Due',
  'First Approval',
  'Approved',
  'Changes Requested',
  'Rejected',
  'Closed',
] as const;
/**
 * Reviews still waiting for a decision: a new or re-submitted review (`Open`), a re-review the
 * add-on opened when an approval expired (`Re-review Due`, issue 17), and a review with the
 * first of the two approvals production needs when Settings asks for two (`First Approval`).
 */
export const WAITING_REVIEW_STATUSES: readonly string[] = [
  'Open',
  'Re-review Due',
  'First Approval',
];
export function isWaitingReview(status: string): boolean {
  return WAITING_REVIEW_STATUSES.includes(status);
}
/** What a security-team member may decide. */
export const REVIEW_DECISIONS = ['Approved', 'Changes Requested', 'Rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const TOOL_STATUSES = ['Approved', 'Pending', 'Not Approved'] as const;
export type ToolStatus = (typeof TOOL_STATUSES)[number];

/** How a column's cells are stored and shown. */
export type ColumnKind = 'text' | 'date' | 'timestamp' | 'number' | 'link';

export interface ColumnSpec {
  readonly header: string;
  readonly kind: ColumnKind;
  /** Written only by the add-on; a person's edit is reverted (DESIGN §6). */
  readonly owned?: boolean;
  /** A dropdown of these words (warning-only: typed variants are normalised by the add-on). */
  readonly choices?: readonly string[];
  /** Suggested width in pixels. */
  readonly width?: number;
  /** Hidden from people (the seal): still a column, still guarded. */
  readonly hidden?: boolean;
  /**
   * The issue that added the column. A registry set up before it gets the column quietly the
   * first time (an upgrade, not a deletion); once tagged, deleting it is tampering as before.
   */
  readonly since?: number;
}

export interface SheetSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** The whole sheet is written only by the add-on (warning-only protection). */
  readonly owned?: boolean;
  /** Why the sheet is protected, shown to a person who edits it anyway. */
  readonly protectionNote?: string;
}

export const SHEET = {
  registry: 'Registry',
  reviews: 'Reviews',
  tools: 'AI Tools',
  dataStores: 'Data Stores',
  audit: 'Audit Log',
} as const;

export const REGISTRY: SheetSpec = {
  name: SHEET.registry,
  columns: [
    { header: 'ID', kind: 'text', owned: true, width: 80 },
    { header: 'Registered', kind: 'timestamp', owned: true, width: 130 },
    { header: 'Creator Email', kind: 'text', width: 200 },
    { header: 'Department', kind: 'text', width: 120 },
    { header: 'Project', kind: 'text', width: 200 },
    { header: 'Business Purpose', kind: 'text', width: 280 },
    { header: 'Data Tier', kind: 'text', choices: TIERS, width: 160 },
    { header: 'Data Stores', kind: 'text', width: 180 },
    { header: 'AI Tool', kind: 'text', width: 140 },
    { header: 'AI Tool Version', kind: 'text', width: 110 },
    { header: 'Deployment Status', kind: 'text', choices: DEPLOYMENT_STATUSES, width: 130 },
    { header: 'Approval', kind: 'text', owned: true, width: 130 },
    { header: 'Review Due', kind: 'date', owned: true, width: 100 },
    { header: 'Last Confirmed', kind: 'date', owned: true, width: 110 },
    { header: 'Checks', kind: 'text', owned: true, width: 320 },
    { header: 'Registered By', kind: 'text', owned: true, width: 200 },
    // The sealed co-owners (DESIGN §6.1, issue 17), changed in the sidebar: a typed change is a
    // claim, put back and shown to the security team.
    { header: 'Co-owners', kind: 'text', owned: true, width: 220, since: 17 },
    { header: 'Seal', kind: 'text', owned: true, hidden: true, width: 60 },
  ],
  protectionNote:
    'Governed Path fills this column. Changes made here by hand are reverted and recorded in the Audit Log.',
};

export const REVIEWS: SheetSpec = {
  name: SHEET.reviews,
  owned: true,
  columns: [
    { header: 'Review ID', kind: 'text', width: 80 },
    { header: 'Registry ID', kind: 'text', width: 90 },
    { header: 'Project', kind: 'text', width: 200 },
    { header: 'Creator Email', kind: 'text', width: 200 },
    { header: 'Opened', kind: 'timestamp', width: 130 },
    { header: 'Due', kind: 'date', width: 100 },
    { header: 'Status', kind: 'text', choices: REVIEW_STATUSES, width: 140 },
    { header: 'Reviewer', kind: 'text', width: 180 },
    // Who the review is assigned to (round robin or by department; a member can reassign).
    { header: 'Assigned To', kind: 'text', width: 180, since: 17 },
    { header: 'Threat Model', kind: 'link', width: 200 },
    { header: 'Decided', kind: 'timestamp', width: 130 },
    { header: 'Business Days', kind: 'number', width: 110 },
    { header: 'Notes', kind: 'text', width: 280 },
    { header: 'Seal', kind: 'text', hidden: true, width: 60 },
  ],
  protectionNote:
    'Review decisions count only when a security-team member makes them; other edits are reverted.',
};

export const AI_TOOLS: SheetSpec = {
  name: SHEET.tools,
  columns: [
    { header: 'Tool', kind: 'text', width: 160 },
    { header: 'Vendor', kind: 'text', width: 140 },
    { header: 'Status', kind: 'text', choices: TOOL_STATUSES, width: 120 },
    { header: 'Max Tier', kind: 'number', choices: ['1', '2', '3'], width: 80 },
    { header: 'SOC 2 Type II Verified', kind: 'date', width: 170 },
    { header: 'Data Residency', kind: 'text', width: 140 },
    { header: 'How to Get Access', kind: 'text', width: 260 },
    { header: 'Notes', kind: 'text', width: 240 },
    { header: 'Seal', kind: 'text', hidden: true, width: 60 },
  ],
};

export const DATA_STORES: SheetSpec = {
  name: SHEET.dataStores,
  columns: [
    { header: 'Data Store', kind: 'text', width: 200 },
    { header: 'Owner', kind: 'text', width: 200 },
    { header: 'Tier', kind: 'text', choices: TIERS, width: 160 },
    { header: 'Description', kind: 'text', width: 320 },
    { header: 'Seal', kind: 'text', hidden: true, width: 60 },
  ],
};

export const AUDIT_LOG: SheetSpec = {
  name: SHEET.audit,
  owned: true,
  columns: [
    // ISO 8601 text, never a Sheets date: the chain must not depend on the time zone (§6).
    { header: 'Timestamp', kind: 'text', width: 160 },
    { header: 'Actor', kind: 'text', width: 200 },
    { header: 'Action', kind: 'text', width: 140 },
    { header: 'Registry ID', kind: 'text', width: 90 },
    { header: 'Field', kind: 'text', width: 130 },
    { header: 'Old Value', kind: 'text', width: 200 },
    { header: 'New Value', kind: 'text', width: 200 },
    { header: 'Hash', kind: 'text', width: 200 },
    // The sealed row an event wrote, as bounded JSON (DESIGN §6.1): hidden, chained with its row.
    { header: 'Snapshot', kind: 'text', hidden: true, width: 60 },
  ],
  protectionNote:
    'The Audit Log is append-only and hash-chained: any change here is detected by the daily integrity check.',
};

/**
 * Projects the security team found from other sources (issue 18): protected for real (its
 * editors are the security team), reconciled daily with the Registry. The team fills Source,
 * Name, Owner Email, Found and Link; the add-on owns Status and Reason (sealed: it names other
 * people's projects), except that the team may mark a line Ignored with a reason.
 */
export const DISCOVERED: SheetSpec = {
  name: 'Discovered',
  columns: [
    { header: 'Source', kind: 'text', width: 160 },
    { header: 'Name', kind: 'text', width: 220 },
    { header: 'Owner Email', kind: 'text', width: 200 },
    { header: 'Found', kind: 'date', width: 100 },
    { header: 'Link', kind: 'text', width: 240 },
    {
      header: 'Status',
      kind: 'text',
      owned: true,
      choices: ['Registered', 'Invited', 'Ignored'],
      width: 110,
    },
    { header: 'Reason', kind: 'text', owned: true, width: 320 },
    { header: 'Seal', kind: 'text', owned: true, hidden: true, width: 60 },
  ],
  protectionNote:
    'Only the security team edits Discovered. Status and Reason are filled by Governed Path; the team may set Status to Ignored with a Reason.',
};

/** Every sheet "Set up or repair registry" guarantees, in tab order. */
export const SHEETS: readonly SheetSpec[] = [REGISTRY, REVIEWS, AI_TOOLS, DATA_STORES, AUDIT_LOG];

/** Colours people see for each Approval word (DESIGN §2), applied by conditional formatting. */
export const APPROVAL_COLOURS: Readonly<Record<Approval, string>> = {
  Approved: '#b7e1cd', // green
  'In Review': '#fce8b2', // yellow
  'Review Overdue': '#f9cb9c', // orange
  'Changes Requested': '#ffd966', // amber
  Rejected: '#f4a7a3', // red
  Blocked: '#cc4125', // dark red
  'Needs Info': '#d9d9d9', // grey
  'Re-review Due': '#c9daf8', // light blue: approved and running, its approval expired
};

/** Colours of the Reviews sheet's Status words (issue 17). */
export const REVIEW_COLOURS: Readonly<Record<ReviewStatus, string>> = {
  Open: '#fce8b2', // yellow, as In Review
  'Re-review Due': '#c9daf8', // light blue, as the entry's Re-review Due
  'First Approval': '#d9ead3', // pale green: one of two approvals given
  Approved: '#b7e1cd', // green
  'Changes Requested': '#ffd966', // amber
  Rejected: '#f4a7a3', // red
  Closed: '#efefef', // light grey: closed by Governed Path, the reason in Notes
};

/** Highlight for a Last Confirmed date older than the current quarter's start. */
export const STALE_CONFIRMATION_COLOUR = '#fde2b5';

/** Sheets number formats per column kind (Sheets patterns, not SimpleDateFormat). */
export const NUMBER_FORMATS: Readonly<Record<ColumnKind, string>> = {
  text: '@',
  link: '@',
  date: 'yyyy-mm-dd',
  timestamp: 'yyyy-mm-dd hh:mm',
  number: '0',
};

/** SimpleDateFormat patterns for Utilities.formatDate (DESIGN §2). */
export const DATE_PATTERN = 'yyyy-MM-dd';
export const TIMESTAMP_PATTERN = 'yyyy-MM-dd HH:mm';

export function headersOf(spec: SheetSpec): string[] {
  return spec.columns.map((c) => c.header);
}
