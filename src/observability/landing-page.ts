import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';

/**
 * What `GET /graphql` (a browser, no query) shows. Apollo's default loads Apollo Sandbox from its CDN:
 * a page that phones home and is blank offline. In development this serves the GraphQL IDE built from
 * ide/ (src/observability/graphql-ide.ts), or, before it is built, a self-contained page that runs a
 * query and says how to build the IDE; in production nothing (Apollo then answers such a GET with a
 * 400, as for any GET without a query).
 */
export function landingPagePlugin<TContext extends BaseContext>(production: boolean, ideHtml?: string): ApolloServerPlugin<TContext> {
  if (production) return ApolloServerPluginLandingPageDisabled();
  const html = ideHtml ?? FALLBACK_PAGE;
  return {
    async serverWillStart() {
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}

const EXAMPLE = '{\n  freshchat {\n    ticketingUsers(first: 3) {\n      totalCount\n      nodes { name role { name } }\n    }\n  }\n}';

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Freshchat helpdesk subgraph</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'">
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}textarea,pre{width:100%;font:13px monospace;box-sizing:border-box}textarea{height:14em}pre{background:#f4f4f4;padding:1em;min-height:8em;white-space:pre-wrap}</style>
</head><body>
<h1>Freshchat helpdesk subgraph</h1>
<p>The GraphQL IDE (GraphiQL) is not built yet: run <code>npm run build:ide</code> (or <code>npm start</code>, which builds it), then reload. Until then this page POSTs a query to this URL, with nothing loaded from elsewhere. Development only: not served with <code>NODE_ENV=production</code>.</p>
<textarea id="q">${EXAMPLE}</textarea>
<p><button id="run">Run</button></p>
<pre id="out"></pre>
<script>
document.getElementById('run').onclick = async () => {
  const out = document.getElementById('out');
  out.textContent = '…';
  try {
    const res = await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document.getElementById('q').value }) });
    out.textContent = JSON.stringify(await res.json(), null, 2);
  } catch (error) { out.textContent = String(error); }
};
</script>
</body></html>`;
