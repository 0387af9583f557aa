import { TIERS, type Tier } from './schema';

export interface TierInfo {
  readonly tier: Tier;
  readonly level: 1 | 2 | 3 | 4;
  /** One line from the guide's data classification, for people choosing a tier. */
  readonly summary: string;
}

export const TIER_INFO: readonly TierInfo[] = [
  { tier: TIERS[0], level: 1, summary: 'Public or marketing data: any AI tool, no restrictions.' },
  {
    tier: TIERS[1],
    level: 2,
    summary: 'Internal data: approved AI tools only (vendor SOC 2 Type II verified).',
  },
  {
    tier: TIERS[2],
    level: 3,
    summary: 'Confidential data: needs a security review before AI processing.',
  },
  {
    tier: TIERS[3],
    level: 4,
    summary: 'Regulated data (card data, PHI, GDPR personal data): no AI tools permitted.',
  },
];

export function tierLevel(tier: Tier): 1 | 2 | 3 | 4 {
  return (TIERS.indexOf(tier) + 1) as 1 | 2 | 3 | 4;
}

export function tierOfLevel(level: number): Tier | null {
  return Number.isInteger(level) && level >= 1 && level <= 4 ? TIERS[level - 1] : null;
}

const TIER_WORDS: Record<string, number> = {
  public: 1,
  marketing: 1,
  'public/marketing': 1,
  internal: 2,
  confidential: 3,
  regulated: 4,
};

/**
 * Reads a tier the way people type it: `3`, `T3`, `tier 3`, `Tier 3 - Confidential`,
 * `confidential`. Returns null for anything that is not clearly one tier.
 */
export function normaliseTier(input: unknown): Tier | null {
  if (typeof input === 'number') return tierOfLevel(input);
  if (typeof input !== 'string') return null;
  const s = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === '') return null;
  const exact = TIERS.find((t) => t.toLowerCase() === s);
  if (exact) return exact;
  if (s in TIER_WORDS) return tierOfLevel(TIER_WORDS[s]);
  const m = /^(?:t|tier|level)? ?-? ?([1-4])(?: ?[-:–]? ?([a-z/ ]+))?$/.exec(s);
  if (!m) return null;
  const level = Number(m[1]);
  if (m[2] !== undefined) {
    const word = TIER_WORDS[m[2].trim()];
    if (word !== level) return null; // "Tier 2 - Confidential" is contradictory
  }
  return tierOfLevel(level);
}
