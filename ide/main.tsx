import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { StrictMode, type ComponentProps } from 'react';
import { createRoot } from 'react-dom/client';
import { examplesPlugin } from './examples-plugin.js';
import type { ReadmeExample } from './readme-examples.js';
import { readSettings } from './settings.js';

/** The README's examples, read at build time (vite.config.ts). */
declare const __README_EXAMPLES__: ReadmeExample[];

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

const settings = readSettings(document);

/** POSTs to this server with the headers editor's headers (JWT, account header) on top. */
const fetcher: Fetcher = async (params, options) => {
  const res = await fetch(settings.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(options?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  return (await res.json()) as ReturnType<Fetcher>;
};

const examples = __README_EXAMPLES__;
const first = examples.find((e) => e.section === 'Example queries') ?? examples[0];

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={first?.query ?? '{ freshchat { accountId } }'}
      defaultHeaders={settings.defaultHeaders}
      defaultEditorToolsVisibility="headers"
      plugins={[examplesPlugin(examples)]}
    />
  </StrictMode>,
);
