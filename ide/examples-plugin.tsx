import { useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import type { ReadmeExample } from './readme-examples.js';

/**
 * The README's examples one click away: a sidebar panel listing them by section; a click puts the
 * example (query and variables) in the editors, leaving the headers as they are. The history panel
 * keeps what was run before; the `+` of the tab bar opens a fresh tab first.
 */
export function examplesPlugin(examples: readonly ReadmeExample[]): GraphiQLPlugin {
  return {
    title: 'README examples',
    icon: () => <span aria-hidden="true" style={{ fontWeight: 700, fontSize: 13 }}>Ex</span>,
    content: () => <ExampleList examples={examples} />,
  };
}

function ExampleList({ examples }: { examples: readonly ReadmeExample[] }) {
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const open = (example: ReadmeExample) => {
    // Through the editors, which keep the active tab in step with what they show.
    queryEditor?.setValue(example.query);
    variableEditor?.setValue(example.variables ?? '');
  };
  const sections = [...new Set(examples.map((e) => e.section))];
  return (
    <div>
      <div className="graphiql-doc-explorer-title">README examples</div>
      <p>Every GraphQL example of the README, as printed (each runs against the embedded sandbox). A click puts it in the editors.</p>
      {sections.map((section) => (
        <section key={section}>
          <div className="graphiql-doc-explorer-section-title">{section}</div>
          <ul style={{ listStyle: 'none', padding: 0 }}>
            {examples
              .filter((e) => e.section === section)
              .map((example) => (
                <li key={example.query}>
                  <button type="button" className="graphiql-button" style={{ textAlign: 'left', width: '100%' }} onClick={() => open(example)}>
                    {example.title}
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
