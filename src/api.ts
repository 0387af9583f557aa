import type { ChainState } from './sheets/audit-log';
import type { CatalogTool } from './domain/catalog';
import type { Classification, ClassifyAnswers } from './domain/classify';
import type { Channel, EventKind } from './domain/channels';
import type { Settings } from './domain/settings';
import type { TierInfo } from './domain/tiers';
import type { DepartmentContact, People } from './sheets/people';
import type { MyProject, RegisterForm, RegisterResult, ReviewQueue } from './sheets/projects';

/**
 * The google.script.run surface (DESIGN §9): the sidebar's only way into the server.
 * Arguments and results are plain JSON (dates as ISO strings); a test checks each function
 * exists as a top-level function in dist/Code.js.
 */
export type { FoundProject } from './sheets/discovered';
export type {
  DryRun as ImportDryRun,
  ImportProgress,
  Preview as ImportPreview,
  SourceInfo as ImportSource,
} from './sheets/inventory';
import type { FoundProject } from './sheets/discovered';
import type {
  DryRun as ImportDryRun,
  ImportJob,
  ImportProgress,
  Preview as ImportPreview,
  SourceInfo,
} from './sheets/inventory';

/** What the import panel opens with: the sheets it can read and an import under way. */
export interface ImportStart {
  sheets: SourceInfo[];
  job: ImportJob | null;
  fields: string[];
  batch: number;
}

export interface SidebarData {
  user: string;
  isSecurityTeam: boolean;
  tiers: TierInfo[];
  tools: Pick<CatalogTool, 'tool' | 'vendor' | 'status' | 'maxTier' | 'howToGetAccess'>[];
  dataStores: { name: string; tier: string; owner: string; description: string }[];
  departments: string[];
  /** Tools approved for each tier today, by tier level (1–3). */
  approvedByTier: Record<string, string[]>;
  /** For the security team: what the watchdog found wrong (empty when all is well). */
  health: string[];
  /**
   * Issue 18: projects the security team found with this person as owner and nobody
   * registered: the Register panel offers them, pre-filled.
   */
  found: FoundProject[];
}

/** Settings as the browser sees them: the webhook only masked. */
export type ClientSettings = Settings & {
  webhookConfigured: boolean;
  /** Issue 16's write-only values, masked (empty when not set). */
  chatWebhookUrl: string;
  teamsWebhookUrl: string;
  hookUrls: Partial<Record<EventKind, string>>;
  hookSecret: string;
  jiraToken: string;
  eventKinds: { kind: EventKind; name: string }[];
  health: string[];
  /** The audit chain, and a re-anchor request waiting for a second member. */
  chain: ChainState | null;
};

/** What the Settings form sends: settings and the write-only values (masked ones unchanged). */
export type SettingsForm = Partial<Settings> & {
  chatWebhookUrl?: string;
  teamsWebhookUrl?: string;
  hookUrls?: Partial<Record<EventKind, string>>;
  hookSecret?: string;
  jiraToken?: string;
};

export interface ServerApi {
  getSidebarData(): SidebarData;
  registerProject(form: RegisterForm): RegisterResult;
  classifyData(answers: Partial<ClassifyAnswers>): Classification;
  listMyProjects(): MyProject[];
  attestProject(id: string, action: 'active' | 'decommission'): MyProject;
  setCoOwners(id: string, emails: string[]): MyProject;
  /** The most urgent open reviews (a page), and how many are open in all. */
  listReviewQueue(): ReviewQueue;
  decideReview(
    reviewId: string,
    /** `registryId`: the review's entry as the queue showed it (a hint that saves a search). */
    decision: { decision: string; note: string; threatModel: string; registryId?: string },
  ): { reviewId: string; registryId: string; approval: string; reviewStatus: string };
  /** Posts the Slack messages a change queued (the sidebar calls it after one, not waiting). */
  deliverNotifications(): { delivered: number; waiting: number };
  getSettings(): ClientSettings;
  saveSettings(settings: SettingsForm): ClientSettings;
  sendTestMessage(channel?: Channel): { ok: boolean; message: string };
  /** Mails the guide's decision tree to a new starter (onboarding). */
  sendGuideTo(email: string): { message: string };
  getMailPreference(): { mailsOff: boolean };
  setMailPreference(off: boolean): { mailsOff: boolean };
  reanchorAuditLog(): { done: boolean; message: string };
  rotateSigningKey(): { message: string };
  /** Issue 17: gives a waiting review to another security-team member. */
  reassignReview(
    reviewId: string,
    to: string,
  ): { reviewId: string; assignedTo: string; message: string };
  /** Department contacts (their own store) and the people marked as gone. */
  getPeople(): People;
  setDepartmentContacts(contacts: DepartmentContact[]): People;
  /** Marks a person as gone: their entries move to a co-owner or the department's contact. */
  markPersonGone(email: string): {
    message: string;
    moved: { id: string; to: string; how: string }[];
  };
  /** Issue 18: one part of an export too large for its dialog (the export dialog calls it). */
  exportPart(
    kind: 'registry' | 'jira',
    format: 'csv' | 'json',
    first: number,
    last: number,
    part: number,
    of: number,
  ): { text: string; rows: number };
  /** Issue 18: the import dialog (security team only). */
  startImportPanel(): ImportStart;
  previewImport(source: ImportSourceInput, options: ImportOptions): ImportPreview;
  dryRunImport(
    source: ImportSourceInput,
    mapping: ImportMapping,
    options: ImportOptions,
  ): ImportDryRun;
  importBatch(
    source: ImportSourceInput,
    mapping: ImportMapping,
    options: ImportOptions,
  ): ImportProgress;
  discardUnfinishedImport(): { message: string };
}

/** Where an import reads from: a sheet of this spreadsheet, or CSV text (a file's name too). */
export type ImportSourceInput = { sheet: string } | { csv: string; name?: string };
export interface ImportOptions {
  dateOrder: 'auto' | 'dmy' | 'mdy';
  /** 1-based; 0 lets the server find the header row. */
  headerRow: number;
}
/** Field → 0-based source column. */
export type ImportMapping = Record<string, number>;

export const SERVER_FUNCTIONS: readonly (keyof ServerApi)[] = [
  'getSidebarData',
  'registerProject',
  'classifyData',
  'listMyProjects',
  'attestProject',
  'setCoOwners',
  'listReviewQueue',
  'decideReview',
  'deliverNotifications',
  'getSettings',
  'saveSettings',
  'sendTestMessage',
  'sendGuideTo',
  'getMailPreference',
  'setMailPreference',
  'reanchorAuditLog',
  'rotateSigningKey',
  'reassignReview',
  'getPeople',
  'setDepartmentContacts',
  'markPersonGone',
  'exportPart',
  'startImportPanel',
  'previewImport',
  'dryRunImport',
  'importBatch',
  'discardUnfinishedImport',
];
