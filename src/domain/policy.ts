import { soc2Current, soc2LapsedCheck, soc2LapsesOn } from './lifecycle';
import type { RegistryEntry, Validation } from './entry';
import type { Approval, ReviewStatus, Tier, ToolStatus } from './schema';
import { tierLevel } from './tiers';

/** A catalog row as the policy needs it (AI Tools sheet). */
export interface ToolRecord {
  tool: string;
  status: ToolStatus | string;
  maxTier: number | null;
  /** yyyy-MM-dd, or null when never verified. */
  soc2Verified: string | null;
  howToGetAccess: string;
}

/** A Data Stores row: its classification, if the inventory gives a valid one. */
export interface StoreRecord {
  name: string;
  tier: Tier | null;
}

/** The latest Tier 3 review of the entry, if any. */
export interface ReviewState {
  status: ReviewStatus;
  /** yyyy-MM-dd */
  due: string;
  threatModel: string;
  /** Who decided it (a First Approval: the first approver). */
  reviewer?: string;
  /** A Re-review Due: the day the approval it re-reviews expired (yyyy-MM-dd). */
  expired?: string;
  /** The review re-reviews an expired approval (its first of two approvals keeps it running). */
  reReview?: boolean;
}

export { soc2Current };

export interface PolicyContext {
  /** Today in the settings' time zone, yyyy-MM-dd. */
  today: string;
  tools: readonly ToolRecord[];
  stores: readonly StoreRecord[];
  review: ReviewState | null;
}

export type Alert = 'tier4-blocked' | 'production-without-threat-model';

export interface Decision {
  approval: Approval;
  /** Plain sentences that explain the approval, problems first. */
  checks: string[];
  /** The declared tier, raised to the highest tier of the named data stores. */
  effectiveTier: Tier | null;
  /** The data store that raised the tier, if one did. */
  raisedBy: string | null;
  /** Tier 3: a security review must exist for this entry. */
  needsReview: boolean;
  alerts: Alert[];
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Tools approved for a tier: catalog Approved, Max Tier high enough, SOC 2 current. */
export function approvedTools(
  tools: readonly ToolRecord[],
  tier: Tier,
  today: string,
): ToolRecord[] {
  const level = tierLevel(tier);
  if (level >= 4) return [];
  return tools.filter(
    (t) =>
      t.status === 'Approved' &&
      t.maxTier !== null &&
      t.maxTier >= level &&
      (level < 2 || soc2Current(t.soc2Verified, today)),
  );
}

function whyNotApproved(
  tool: ToolRecord | undefined,
  name: string,
  tier: Tier,
  today: string,
): string {
  if (!tool)
    return `${name} is not in the AI Tools catalog, so it is not approved for ${tier} data.`;
  if (tool.status !== 'Approved') {
    return `${tool.tool} is not approved for ${tier} data (catalog status: ${tool.status || 'not set'}).`;
  }
  if (tool.maxTier === null || tool.maxTier < tierLevel(tier)) {
    return `${tool.tool} is approved only up to Tier ${tool.maxTier ?? '?'} data, not ${tier}.`;
  }
  const lapsed = soc2LapsesOn(tool.soc2Verified);
  if (tool.soc2Verified && lapsed && today >= lapsed)
    return soc2LapsedCheck(tool.tool, tool.soc2Verified, lapsed);
  return tool.soc2Verified
    ? `${tool.tool}'s SOC 2 Type II report was verified ${tool.soc2Verified}, a date that has not come yet; the security team will correct it.`
    : `${tool.tool}'s SOC 2 Type II report has not been verified yet.`;
}

function approvedList(tools: ToolRecord[], tier: Tier): string {
  if (tools.length === 0) {
    return `No AI tool is approved for ${tier} data yet: ask the security team which tool to use.`;
  }
  const list = tools.map((t) =>
    t.howToGetAccess ? `${t.tool} (${t.howToGetAccess.replace(/\.$/, '')})` : t.tool,
  );
  return `Approved tools for ${tier} data: ${list.join('; ')}.`;
}

/** Raises the declared tier to the most sensitive named data store; unknown stores are noted. */
function classify(
  entry: Pick<RegistryEntry, 'dataTier' | 'dataStores'>,
  stores: readonly StoreRecord[],
) {
  const checks: string[] = [];
  let tier = entry.dataTier;
  let raisedBy: string | null = null;
  for (const name of entry.dataStores) {
    // Every row of that name counts, the most sensitive first: a second, unclassified row of
    // the same name (or one sorted above it) never hides a store's tier.
    const rows = stores.filter((s) => sameName(s.name, name));
    const classified = rows
      .filter((s) => s.tier)
      .sort((a, b) => tierLevel(b.tier!) - tierLevel(a.tier!));
    if (rows.length === 0 || classified.length === 0) {
      checks.push(
        rows.length === 0
          ? `Data store "${name}" is not in the Data Stores inventory; the security team will classify it.`
          : `Data store "${name}" is not classified yet; the security team will classify it.`,
      );
      continue;
    }
    const store = classified[0];
    if (tierLevel(store.tier!) > tierLevel(tier)) {
      tier = store.tier!;
      raisedBy = store.name;
    }
  }
  if (raisedBy) {
    checks.unshift(
      `Data Tier raised from ${entry.dataTier} to ${tier}: data store "${raisedBy}" is classified ${tier} (the automated check confirms data classification).`,
    );
  }
  return { tier, raisedBy, checks };
}

/**
 * The governance guide's rules (DESIGN §3) for one entry: what its Approval is and why.
 * Tier 1–2 are self-service, Tier 3 waits for a security review (and a threat model before
 * production), Tier 4 is blocked.
 */
/** What Checks says of an entry held at the production gate (the queue searches for it). */
export const GATE_CHECK = 'The approved review has no Threat Model link yet.';
/** Checks of an entry with the first of the two approvals production needs (issue 17). */
export const SECOND_APPROVAL_CHECK =
  'Production needs a second approval from another security-team member.';
/** Checks of an entry whose approval expired and is being re-reviewed. */
export const REREVIEW_CHECK = 'Re-review due:';

export function decideApproval(validation: Validation, ctx: PolicyContext): Decision {
  const entry = validation.entry;
  if (!entry) {
    return {
      approval: 'Needs Info',
      checks: validation.problems.slice(),
      effectiveTier: null,
      raisedBy: null,
      needsReview: false,
      alerts: [],
    };
  }
  const { tier, raisedBy, checks: storeChecks } = classify(entry, ctx.stores);
  const base = { effectiveTier: tier, raisedBy, needsReview: false, alerts: [] as Alert[] };
  const level = tierLevel(tier);

  if (level === 4) {
    return {
      ...base,
      approval: 'Blocked',
      alerts: ['tier4-blocked'],
      checks: [
        ...storeChecks,
        `${tier} data (PCI DSS cardholder data, PHI, personal data under GDPR) may not be used with any AI tool.`,
        'Instead: build and test with synthetic or de-identified data (then register it as Tier 1), or talk to the security team about a safe alternative.',
      ],
    };
  }

  // A Tier 3 entry decommissioned before its review was decided needs no review any more: its
  // open review is closed (issue 15), and bringing it back opens a new one.
  const undecided =
    !ctx.review ||
    ctx.review.status === 'Open' ||
    ctx.review.status === 'Re-review Due' ||
    ctx.review.status === 'Closed';
  if (level === 3 && entry.deploymentStatus === 'Decommissioned' && undecided)
    return {
      ...base,
      approval: 'Needs Info',
      checks: [
        ...storeChecks,
        'Decommissioned before its security review was decided, so the review was closed. If it is brought back, set its Deployment Status again: a new review opens.',
      ],
    };
  if (level === 3)
    return { ...base, ...decideTier3(entry, tier, ctx, storeChecks), needsReview: true };

  const catalogTool = ctx.tools.find((t) => sameName(t.tool, entry.aiTool));
  if (level === 1) {
    const note = catalogTool
      ? []
      : [`${entry.aiTool} is not in the AI Tools catalog yet; the monthly review will list it.`];
    return {
      ...base,
      approval: 'Approved',
      checks: [
        ...storeChecks,
        `Approved (self-service): ${tier} data may be used with any AI tool.`,
        ...note,
      ],
    };
  }

  const approved = approvedTools(ctx.tools, tier, ctx.today);
  const ok = catalogTool && approved.includes(catalogTool);
  if (ok) {
    return {
      ...base,
      approval: 'Approved',
      checks: [
        ...storeChecks,
        `Approved (self-service): ${catalogTool.tool} is approved for ${tier} data (SOC 2 Type II verified ${catalogTool.soc2Verified}).`,
      ],
    };
  }
  return {
    ...base,
    approval: 'Needs Info',
    checks: [
      ...storeChecks,
      whyNotApproved(catalogTool, entry.aiTool, tier, ctx.today),
      approvedList(approved, tier),
    ],
  };
}

function decideTier3(
  entry: RegistryEntry,
  tier: Tier,
  ctx: PolicyContext,
  storeChecks: string[],
): Pick<Decision, 'approval' | 'checks' | 'alerts'> {
  // A review the add-on closed (its entry no longer needed one) decides nothing any more.
  const review = ctx.review?.status === 'Closed' ? null : ctx.review;
  const production = entry.deploymentStatus === 'Production';
  const gate = `${tier} projects need an approved security review with a threat model before they go to Production.`;
  if (!review || review.status === 'Open') {
    const overdue = review !== null && review.due < ctx.today;
    const due = review?.due;
    const checks = [
      ...storeChecks,
      overdue
        ? `The security review was due ${due} and is overdue; the security team has been reminded.`
        : `${tier} data needs a security review before AI processing${due ? `; the review is due ${due}` : ''}.`,
    ];
    if (production) checks.push(gate);
    return {
      approval: overdue ? 'Review Overdue' : 'In Review',
      checks,
      alerts: production ? ['production-without-threat-model'] : [],
    };
  }
  if (
    review.status === 'Re-review Due' ||
    (review.status === 'First Approval' && review.reReview)
  ) {
    // An expired approval is re-reviewed while the project keeps running (issue 17), but never
    // lets through what the approval did not: production still needs its threat model.
    if (production && review.threatModel.trim() === '')
      return {
        approval: 'In Review',
        checks: [...storeChecks, `${gate} ${GATE_CHECK}`],
        alerts: ['production-without-threat-model'],
      };
    const overdue = review.due < ctx.today;
    const first =
      review.status === 'First Approval'
        ? ` The first of its two approvals is given${review.reviewer ? ` (${review.reviewer})` : ''}; a second member gives the other.`
        : '';
    return {
      approval: 'Re-review Due',
      checks: [
        ...storeChecks,
        `${REREVIEW_CHECK} the approval expired${review.expired ? ` on ${review.expired}` : ''}; the re-review is due ${review.due}${overdue ? ' and is overdue (the security team has been reminded)' : ''}. The project may keep running meanwhile.${first}`,
      ],
      alerts: [],
    };
  }
  if (review.status === 'First Approval') {
    const by = review.reviewer ? ` (${review.reviewer})` : '';
    if (production)
      return {
        approval: 'In Review',
        checks: [
          ...storeChecks,
          `${gate} ${SECOND_APPROVAL_CHECK} The first of the two approvals is given${by}.`,
        ],
        alerts: ['production-without-threat-model'],
      };
    return {
      approval: 'Approved',
      checks: [
        ...storeChecks,
        `Approved for development by the first of two security reviewers${by}. ${SECOND_APPROVAL_CHECK}`,
      ],
      alerts: [],
    };
  }
  if (review.status === 'Approved') {
    if (production && review.threatModel.trim() === '') {
      return {
        approval: 'In Review',
        checks: [...storeChecks, `${gate} ${GATE_CHECK}`],
        alerts: ['production-without-threat-model'],
      };
    }
    return {
      approval: 'Approved',
      checks: [...storeChecks, 'Approved by the security team’s review.'],
      alerts: [],
    };
  }
  if (review.status === 'Changes Requested') {
    return {
      approval: 'Changes Requested',
      checks: [
        ...storeChecks,
        'The security review asked for changes: see the notes in the Reviews sheet, then update this row.',
      ],
      alerts: [],
    };
  }
  return {
    approval: 'Rejected',
    checks: [
      ...storeChecks,
      `The security review rejected this use of ${tier} data: see the notes in the Reviews sheet.`,
    ],
    alerts: [],
  };
}
