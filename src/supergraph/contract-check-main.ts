/**
 * `npm run contract:check -- path/to/their.graphql [more.graphql ...]`: checks another helpdesk
 * subgraph's SDL (several files are read as one subgraph) against the helpdesk contract. Prints one
 * line per problem and exits 1, or one line saying it conforms and exits 0; 2 for a usage error. A
 * dev tool (run with tsx): composition needs devDependencies.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkContract, type SdlFile } from './contract-check.js';

// npm runs scripts from the package root; paths are the caller's, relative to where they typed them.
const cwd = process.env.INIT_CWD ?? process.cwd();

function readSdl(path: string): SdlFile {
  try {
    return { path, body: readFileSync(resolve(cwd, path), 'utf8') };
  } catch (error) {
    console.error(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    process.exit(2);
  }
}

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: npm run contract:check -- path/to/their.graphql [more.graphql ...]');
  process.exit(2);
}
const result = checkContract(paths.map(readSdl));
for (const line of result.lines) console.log(line);
if (!result.conforms) {
  console.error(`${result.lines.length} problem${result.lines.length === 1 ? '' : 's'}: it does not conform to the helpdesk contract`);
  process.exitCode = 1;
}
