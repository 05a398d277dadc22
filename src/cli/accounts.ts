import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { ACCOUNT_ID_RULE, isAccountId } from '../account.js';
import { loadConfig, type Config } from '../config.js';
import { loadOrExit } from '../exit-on-config-error.js';
import { loadDotEnv } from '../process/start.js';
import type { AccountsBackend } from './accounts-backend.js';
import { openBackend } from './backend.js';
import { CliFailure, fail } from './failure.js';
import { linkSandbox, sandboxLinkedHelp } from './link-sandbox.js';

/**
 * `npm run accounts -- list | link | link-sandbox | unlink | rotate-key`: the admin API's operations
 * for an operator at a shell, with the server's settings (the environment, then `.env`). It opens the
 * registry itself, or goes through the running server's admin API when that server holds the
 * embedded registry (or `--url` names one). The API token is read from stdin, never from an argument
 * (arguments show in `ps` and shell history).
 */
const USAGE = `usage:
  npm run accounts -- list
  npm run accounts -- link --name <name> --api-url <url> [--tenant <tenant>] [--id <id>]   (API token on stdin)
  npm run accounts -- link-sandbox [--name <name>] [--tenant <tenant>] [--id <id>]   (the embedded sandbox; needs SANDBOX_PORT)
  npm run accounts -- unlink <id>
  npm run accounts -- rotate-key      (after moving the old key to CREDENTIALS_KEY_PREVIOUS; tokens and webhook secrets)
options: --url <server>   use that server's admin API (with ADMIN_TOKEN); by default the registry itself,
                          or this machine's running server when it holds the embedded registry`;

type Command = (backend: AccountsBackend, args: string[], config: Config) => Promise<void>;

const ACCOUNT_OPTIONS = { name: { type: 'string' }, tenant: { type: 'string' }, id: { type: 'string' } } as const;

const COMMANDS: Record<string, Command> = {
  async list(backend) {
    for (const account of await backend.list()) print(account);
  },
  async link(backend, args) {
    const { values } = parseArgs({ args, options: { ...ACCOUNT_OPTIONS, 'api-url': { type: 'string' } } });
    if (!values.name || !values['api-url']) fail(`link needs --name and --api-url\n${USAGE}`);
    const token = (await text(process.stdin)).trim();
    if (!token) fail('link reads the API token from stdin: echo "$TOKEN" | npm run accounts -- link ...');
    print(await backend.link({ id: values.id, name: values.name, apiUrl: values['api-url'], token, tenant: values.tenant ?? null }));
  },
  async 'link-sandbox'(backend, args, config) {
    const { values } = parseArgs({ args, options: ACCOUNT_OPTIONS });
    const account = await linkSandbox(config, backend, values);
    print(account);
    for (const line of sandboxLinkedHelp(account, config)) process.stdout.write(`${line}\n`);
  },
  async unlink(backend, [id]) {
    if (!id) fail(`unlink needs an account id\n${USAGE}`);
    if (!isAccountId(id)) fail(`BAD_USER_INPUT: account id ${ACCOUNT_ID_RULE}`);
    await backend.unlink(id);
    print({ unlinked: id });
  },
  async 'rotate-key'(backend) {
    print({ reencrypted: await backend.rotateKey() });
  },
};

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** `--url <server>` may come anywhere; the rest is the command's. */
function takeUrl(argv: string[]): { url: string | undefined; rest: string[] } {
  const at = argv.findIndex((arg) => arg === '--url' || arg.startsWith('--url='));
  if (at === -1) return { url: undefined, rest: argv };
  const inline = argv[at]!.startsWith('--url=') ? argv[at]!.slice('--url='.length) : undefined;
  const url = inline ?? argv[at + 1];
  return { url, rest: argv.filter((_, i) => i !== at && (inline !== undefined || i !== at + 1)) };
}

async function main(argv: string[]): Promise<number> {
  const { url, rest } = takeUrl(argv);
  const [name, ...args] = rest;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command || (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  loadDotEnv();
  const config = loadOrExit(() => loadConfig(process.env));
  let backend: AccountsBackend | undefined;
  try {
    backend = await openBackend(config, url, (line) => process.stderr.write(`${line}\n`));
    await command(backend, args, config);
    return 0;
  } catch (error) {
    if (error instanceof Error && 'problems' in error) loadOrExit(() => { throw error; }); // a start-up failure: one line per problem, exit 1
    if (!(error instanceof CliFailure) && !(error instanceof Error && error.name === 'MissingKeyError')) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await backend?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
