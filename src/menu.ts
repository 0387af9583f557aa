/**
 * The add-on menu, Extensions › Governed Path (DESIGN §5, §10): captions people see and the
 * top-level functions they run. Only items whose feature exists are listed.
 */
export interface MenuItem {
  readonly caption: string;
  readonly fn: string;
}

export interface MenuSpec {
  readonly items: readonly (MenuItem | 'separator')[];
  readonly securityTeam: readonly MenuItem[];
}

export const MENU: MenuSpec = {
  items: [
    { caption: 'Register an AI project', fn: 'menuRegister' },
    { caption: 'Can I use AI with this data?', fn: 'menuClassify' },
    { caption: 'My projects', fn: 'menuMyProjects' },
  ],
  securityTeam: [
    { caption: 'Review queue', fn: 'menuReviewQueue' },
    { caption: 'Import an inventory…', fn: 'menuImportInventory' },
    { caption: 'Adoption & SLA report', fn: 'menuAdoptionReport' },
    { caption: 'Monthly review report', fn: 'menuMonthlyReport' },
    { caption: 'Audit evidence pack', fn: 'menuEvidencePack' },
    { caption: 'Export reviews for Jira (CSV)', fn: 'menuExportJira' },
    { caption: 'Export registry (CSV or JSON)', fn: 'menuExportRegistry' },
    { caption: 'Post decision tree to Slack', fn: 'menuPostDecisionTree' },
    { caption: 'Run daily checks now', fn: 'menuRunDailyChecks' },
    { caption: 'Check this spreadsheet', fn: 'menuCheckSpreadsheet' },
    { caption: 'Settings', fn: 'menuSettings' },
    { caption: 'Set up or repair registry', fn: 'menuSetUpRegistry' },
  ],
};

export const SECURITY_SUBMENU = 'Security team';
