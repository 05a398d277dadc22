import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

/**
 * The GraphQL IDE of development (GraphiQL, built from ide/ into dist/ide/ by `npm run build:ide`,
 * which `npm start` runs when dev dependencies are installed): its page at GET /graphql and its
 * assets under /graphql-ide/, all from this server, so it works offline. Production serves neither.
 */
export const IDE_PATH = '/graphql-ide';

/** dist/ide/, wherever this module runs from: src/ (tsx, vitest) or dist/src/ (npm start). */
export function ideDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const dist = here.includes(`${sep}dist${sep}src${sep}`) ? resolve(here, '../..') : resolve(here, '../../dist');
  return join(dist, 'ide');
}

export interface IdeDefaults {
  /** The account a request without the header gets; null when there is none (linked accounts only). */
  defaultAccountId: string | null;
  /** Caller JWTs are checked (AUTH_JWT_SECRET or AUTH_JWKS_URL): every request needs Authorization. */
  authRequired: boolean;
}

/**
 * The headers the page starts with: the account header naming the default account, and, when the
 * server checks caller JWTs, an Authorization header to complete.
 */
export function defaultHeaders({ defaultAccountId, authRequired }: IdeDefaults): Record<string, string> {
  return {
    ...(authRequired ? { authorization: 'Bearer <a JWT whose tenant claim names the account tenant>' } : {}),
    'x-freshchat-account-id': defaultAccountId ?? '<a linked account id>',
  };
}

export interface Ide {
  /** The page, with the server's settings filled in. */
  html: string;
  /** Its assets, for IDE_PATH. */
  assets: express.Handler;
}

/** The built IDE, or undefined when dist/ide/ has not been built (the page then says how). */
export function loadIde(defaults: IdeDefaults, directory = ideDirectory()): Ide | undefined {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) return undefined;
  const settings = { endpoint: '/graphql', defaultHeaders: JSON.stringify(defaultHeaders(defaults), null, 2) };
  // JSON in a non-executed script element: the page's CSP allows no inline script. `<` is escaped so
  // no value can close the element.
  const element = `<script id="ide-settings" type="application/json">${JSON.stringify(settings).replace(/</g, '\\u003c')}</script>`;
  const html = readFileSync(index, 'utf8').replace('<!--ide-settings-->', element);
  // Hashed file names: a rebuild changes the names, so they may be cached for good.
  const assets = express.static(directory, { index: false, immutable: true, maxAge: '1y', fallthrough: false });
  return { html, assets };
}
