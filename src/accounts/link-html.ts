/**
 * The link page's HTML: server-rendered, no script, no framework, no asset from anywhere (styles are
 * inline, allowed by the page's CSP). Every input has a label; an error names its field in a summary
 * at the top (announced by screen readers) and beside the field (`aria-describedby`, `aria-invalid`).
 */
export const REGIONS = [
  { value: 'us', label: 'United States (api.freshchat.com)', apiUrl: 'https://api.freshchat.com/v2' },
  { value: 'eu', label: 'Europe (api.eu.freshchat.com)', apiUrl: 'https://api.eu.freshchat.com/v2' },
  { value: 'in', label: 'India (api.in.freshchat.com)', apiUrl: 'https://api.in.freshchat.com/v2' },
  { value: 'au', label: 'Australia (api.au.freshchat.com)', apiUrl: 'https://api.au.freshchat.com/v2' },
] as const;

export type FieldName = 'apiUrl' | 'apiKey';

export interface FormView {
  action: string;
  csrf: string;
  apiUrl: string;
  region: string;
  errors: Partial<Record<FieldName, string>>;
}

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
  label, legend { display: block; font-weight: 600; margin-top: 1.25rem; }
  input, select { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #666; border-radius: 4px; }
  input[aria-invalid="true"] { border: 2px solid #b00020; }
  .hint { color: #444; font-size: .925rem; margin: .25rem 0; }
  .error { color: #b00020; font-weight: 600; margin: .25rem 0; }
  .summary { border: 2px solid #b00020; padding: .75rem 1rem; border-radius: 4px; }
  button { font: inherit; margin-top: 1.5rem; padding: .6rem 1.4rem; background: #0b5cad; color: #fff; border: 0; border-radius: 4px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  :focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export function formPage(view: FormView): string {
  const errors = Object.entries(view.errors) as [FieldName, string][];
  const summary = errors.length === 0 ? '' : `
  <div class="summary" role="alert" aria-labelledby="summary-title" tabindex="-1">
    <h2 id="summary-title">The account could not be connected</h2>
    <ul>${errors.map(([field, message]) => `<li><a href="#${field}">${escape(message)}</a></li>`).join('')}</ul>
  </div>`;
  const options = REGIONS.map(
    (r) => `<option value="${r.value}"${view.region === r.value ? ' selected' : ''}>${escape(r.label)}</option>`,
  ).join('');
  return page(
    `${errors.length ? 'Error: ' : ''}Connect your Freshchat account`,
    `<h1>Connect your Freshchat account</h1>${summary}
  <form method="post" action="${escape(view.action)}" novalidate>
    <input type="hidden" name="csrf" value="${escape(view.csrf)}">
    ${field('apiUrl', 'Your chat URL', view.errors.apiUrl, `<input id="apiUrl" name="apiUrl" type="url" inputmode="url" autocomplete="url" spellcheck="false" value="${escape(view.apiUrl)}" placeholder="https://yourcompany.freshchat.com"${describedBy('apiUrl', view.errors.apiUrl)}>`,
      'In Freshchat: <b>Admin Settings &gt; APIs for chat</b> (or <b>Configure &gt; API Tokens</b>) shows “Your chat URL” next to the API key. Leave it empty to pick your region below instead.')}
    <label for="region">Or your data centre region</label>
    <p class="hint" id="region-hint">Only if your account has no chat URL of its own.</p>
    <select id="region" name="region" aria-describedby="region-hint"><option value="">— use the chat URL above —</option>${options}</select>
    ${field('apiKey', 'API key', view.errors.apiKey, `<input id="apiKey" name="apiKey" type="password" autocomplete="off" spellcheck="false"${describedBy('apiKey', view.errors.apiKey)}>`,
      'Same page: <b>Your API key</b> (an account admin generates it with “Generate Token”). It is checked with Freshchat now, then stored encrypted.')}
    <button type="submit">Connect Freshchat</button>
  </form>`,
  );
}

function field(name: FieldName, label: string, error: string | undefined, input: string, hint: string): string {
  const message = error ? `<p class="error" id="${name}-error"><span class="visually-hidden">Error: </span>${escape(error)}</p>` : '';
  return `<label for="${name}">${label}</label>
    <p class="hint" id="${name}-hint">${hint}</p>${message}
    ${input}`;
}

function describedBy(name: FieldName, error: string | undefined): string {
  return error ? ` aria-describedby="${name}-hint ${name}-error" aria-invalid="true"` : ` aria-describedby="${name}-hint"`;
}

export const messagePage = (title: string, text: string): string => page(title, `<h1>${escape(title)}</h1><p>${escape(text)}</p>`);
