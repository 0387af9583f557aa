import type { CatalogTool } from './domain/catalog';
import type { TierInfo } from './domain/tiers';

/**
 * The google.script.run surface (DESIGN §9): the sidebar's only way into the server. Arguments
 * and results are plain JSON (dates as ISO strings). Later features add their functions here;
 * a test checks each exists as a top-level function in dist/Code.js.
 */
export interface SidebarData {
  user: string;
  isSecurityTeam: boolean;
  tiers: TierInfo[];
  tools: Pick<CatalogTool, 'tool' | 'vendor' | 'status' | 'maxTier' | 'howToGetAccess'>[];
  dataStores: { name: string; tier: string; owner: string; description: string }[];
  departments: string[];
}

export interface ServerApi {
  getSidebarData(): SidebarData;
}

export const SERVER_FUNCTIONS: readonly (keyof ServerApi)[] = ['getSidebarData'];
