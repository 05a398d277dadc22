/**
 * `npm run sdl`: writes the Freshchat and node-router subgraph SDL, the composed supergraph SDL, the API
 * schema and Apollo Client's possibleTypes into `artifacts/` (or the directory given as first argument).
 */
import { resolve } from 'node:path';
import { writeArtifacts } from './artifacts.js';

const written = await writeArtifacts(resolve(process.argv[2] ?? 'artifacts'));
for (const file of written) console.log(`wrote ${file}`);
