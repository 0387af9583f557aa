import type { ToolStatus } from './schema';

export interface CatalogTool {
  tool: string;
  vendor: string;
  status: ToolStatus;
  maxTier: number | null;
  soc2Verified: string | null;
  dataResidency: string;
  howToGetAccess: string;
  notes: string;
}

/**
 * The AI tools the governance guide names, seeded as Pending so the security team decides
 * each one (SOC 2 Type II report, data residency) before Tier 2 use is self-service.
 */
export const SEED_TOOLS: readonly CatalogTool[] = [
  {
    tool: 'Claude Code',
    vendor: 'Anthropic',
    status: 'Pending',
    maxTier: null,
    soc2Verified: null,
    dataResidency: '',
    howToGetAccess: 'Ask the security team in #security-updates.',
    notes: 'Named in the AI code governance guide; awaiting vendor review.',
  },
  {
    tool: 'GitHub Copilot',
    vendor: 'GitHub (Microsoft)',
    status: 'Pending',
    maxTier: null,
    soc2Verified: null,
    dataResidency: '',
    howToGetAccess: 'Ask the security team in #security-updates.',
    notes: 'Named in the AI code governance guide; awaiting vendor review.',
  },
  {
    tool: 'ChatGPT',
    vendor: 'OpenAI',
    status: 'Pending',
    maxTier: null,
    soc2Verified: null,
    dataResidency: '',
    howToGetAccess: 'Ask the security team in #security-updates.',
    notes: 'Named in the AI code governance guide; awaiting vendor review.',
  },
];
