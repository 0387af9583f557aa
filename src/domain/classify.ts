import { approvedTools, type ToolRecord } from './policy';
import type { Tier } from './schema';
import { TIERS } from './schema';

/**
 * "Can I use AI with this data?" — the guide's one-page decision tree, asked from the most
 * sensitive question down: regulated → confidential → internal → public.
 */
export interface ClassifyAnswers {
  /** Card data (PCI DSS), health data (PHI), or personal data under GDPR? */
  regulated: boolean | null;
  /** Confidential: customer data, employee records, contracts, financials? */
  confidential: boolean | null;
  /** Internal: only for people inside the company? */
  internal: boolean | null;
}

export interface Classification {
  tier: Tier;
  aiAllowed: boolean;
  reviewRequired: boolean;
  approvedTools: { tool: string; howToGetAccess: string }[];
  /** One sentence on what to do next. */
  advice: string;
}

export const QUESTIONS: readonly { key: keyof ClassifyAnswers; question: string; hint: string }[] =
  [
    {
      key: 'regulated',
      question:
        'Does the data include card numbers, health information, or personal data about EU residents?',
      hint: 'PCI DSS cardholder data, PHI, or personal data under GDPR.',
    },
    {
      key: 'confidential',
      question: 'Is it confidential: customer data, employee records, contracts or financials?',
      hint: 'Anything that would hurt customers, staff or the company if it leaked.',
    },
    {
      key: 'internal',
      question: 'Is it for people inside the company only?',
      hint: 'Internal docs, dashboards, names and titles, plans.',
    },
  ];

/** The first question not yet answered, or null when the tree has an answer. */
export function nextQuestion(answers: Partial<ClassifyAnswers>): keyof ClassifyAnswers | null {
  for (const { key } of QUESTIONS) {
    const a = answers[key];
    if (a === true) return null;
    if (a !== false) return key;
  }
  return null;
}

export function classifyData(
  answers: Partial<ClassifyAnswers>,
  tools: readonly ToolRecord[],
  today: string,
): Classification | null {
  const level =
    answers.regulated === true
      ? 4
      : answers.confidential === true
        ? 3
        : answers.internal === true
          ? 2
          : 1;
  if (level === 1 && nextQuestion(answers) !== null) return null;
  const tier = TIERS[level - 1];
  const tools4 = approvedTools(tools, tier, today).map((t) => ({
    tool: t.tool,
    howToGetAccess: t.howToGetAccess,
  }));
  const advice =
    level === 4
      ? 'No AI tool may be used with this data. Build and test with synthetic or de-identified data instead (that is Tier 1), or talk to the security team.'
      : level === 3
        ? 'AI may be used only after a security review (5 business days). Register the project and the review opens automatically; production also needs a threat model.'
        : level === 2
          ? 'Use an approved AI tool (listed below) and register the project: approval is instant.'
          : 'Any AI tool is fine. Register the project so the security team knows it exists: approval is instant.';
  return {
    tier,
    aiAllowed: level < 4,
    reviewRequired: level === 3,
    approvedTools: level === 4 ? [] : tools4,
    advice,
  };
}
