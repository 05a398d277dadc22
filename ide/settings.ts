/**
 * What the server tells the page (a JSON script element it fills in, src/observability/graphql-ide.ts):
 * where to POST, and the headers to start with, so the account header (and, when the server
 * checks caller JWTs, Authorization) are there to fill in.
 */
export interface IdeSettings {
  endpoint: string;
  /** JSON object text for the headers editor. */
  defaultHeaders: string;
}

export const SETTINGS_ELEMENT_ID = 'ide-settings';

export function readSettings(doc: Document): IdeSettings {
  const fallback: IdeSettings = { endpoint: '/graphql', defaultHeaders: '{}' };
  const text = doc.getElementById(SETTINGS_ELEMENT_ID)?.textContent;
  if (!text) return fallback;
  try {
    return { ...fallback, ...(JSON.parse(text) as Partial<IdeSettings>) };
  } catch {
    return fallback;
  }
}
