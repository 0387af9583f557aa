/**
 * The control mapping for auditors (DESIGN §4), kept as data the security team can read in
 * the evidence pack. The guide's "A.8.2" is the 2013 numbering; 2022 identifiers are used.
 */
export interface ControlMapping {
  framework: string;
  control: string;
  title: string;
  evidence: string;
  where: string;
}

export const CONTROL_MAPPING: readonly ControlMapping[] = [
  {
    framework: 'ISO/IEC 27001:2022',
    control: 'A.5.9',
    title: 'Inventory of information and other associated assets',
    evidence: 'Every AI-built application with its creator, purpose, data tier, tool and status',
    where: 'Registry; Registry snapshot below',
  },
  {
    framework: 'ISO/IEC 27001:2022',
    control: 'A.5.12',
    title: 'Classification of information (2013: A.8.2.1)',
    evidence:
      'Four-tier data classification per entry and per data store; tiers raised by classified stores',
    where: 'Registry (Data Tier), Data Stores',
  },
  {
    framework: 'ISO/IEC 27001:2022',
    control: 'A.5.1',
    title: 'Policies for information security',
    evidence:
      'The AI use policy enforced on every entry: self-service Tier 1–2, review for Tier 3, block for Tier 4',
    where: 'Registry (Approval, Checks), Audit Log',
  },
  {
    framework: 'SOC 2 (2017 TSC)',
    control: 'CC6.1',
    title: 'Inventory and classification of information assets',
    evidence: 'Inventory with classification and approval per entry',
    where: 'Registry snapshot below',
  },
  {
    framework: 'SOC 2 (2017 TSC)',
    control: 'CC6.6',
    title: 'Logical access controls (as the guide cites it)',
    evidence: 'Only approved AI tools for internal data; security-team-only decisions',
    where: 'AI Tools, Reviews, Audit Log',
  },
  {
    framework: 'SOC 2 (2017 TSC)',
    control: 'CC6.7',
    title: 'Restricting transmission of information',
    evidence: 'Tier 4 (regulated) data blocked from all AI tools',
    where: 'Registry (Approval = Blocked)',
  },
  {
    framework: 'NIST CSF 2.0',
    control: 'ID.AM-02',
    title: 'Inventories of software, services and systems',
    evidence: 'AI-built applications and the AI tools used',
    where: 'Registry, AI Tools',
  },
  {
    framework: 'NIST CSF 2.0',
    control: 'ID.AM-05',
    title: 'Assets prioritised by classification',
    evidence: 'Review and SLA by data tier; Tier 3 review evidence',
    where: 'Reviews, review SLA evidence below',
  },
  {
    framework: 'NIST AI RMF 1.0',
    control: 'GOVERN 1.6',
    title: 'Mechanisms to inventory AI systems',
    evidence: 'Registry of AI use cases with quarterly attestation',
    where: 'Registry, attestation evidence below',
  },
];
