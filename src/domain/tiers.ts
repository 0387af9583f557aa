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
