import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { ACCOUNT_ID_RULE, isAccountId } from '../account.js';
import { loadConfig } from '../config.js';
import { loadOrExit } from '../exit-on-config-error.js';
import { createAccountTransports } from '../freshchat/account-transport.js';
import { createDispatcher } from '../freshchat/http.js';
import { createHostPolicy } from '../accounts/allowed-hosts.js';
import { createLinking } from '../accounts/linking.js';
import { openRegistry, type Registry } from '../accounts/registry.js';
import { createValidator } from '../accounts/validate.js';
import { cipherOf, rotateSecrets } from '../webhooks-out/endpoint-secrets.js';

/**
 * `npm run accounts -- list | link | unlink | rotate-key`: the admin API's operations for an operator
 * at a shell, on the same registry and settings (DATABASE_URL or DATA_DIR, CREDENTIALS_KEY).
 * The API token is read from stdin, never from an argument (arguments show in `ps` and shell history).
 */
const USAGE = `usage:
  npm run accounts -- list
  npm run accounts -- link --name <name> --api-url <url> [--tenant <tenant>] [--id <id>]   (API token on stdin)
  npm run accounts -- unlink <id>
  npm run accounts -- rotate-key      (after moving the old key to CREDENTIALS_KEY_PREVIOUS; tokens and webhook secrets)`;

type Command = (registry: Registry, args: string[], settings: ReturnType<typeof loadConfig>) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  async list(registry) {
    for (const account of await registry.store.list()) print(account);
  },
  async link(registry, args, config) {
    const { values } = parseArgs({ args, options: { name: { type: 'string' }, 'api-url': { type: 'string' }, tenant: { type: 'string' }, id: { type: 'string' } } });
    if (!values.name || !values['api-url']) fail(`link needs --name and --api-url\n${USAGE}`);
    const token = (await text(process.stdin)).trim();
    if (!token) fail('link reads the API token from stdin: echo "$TOKEN" | npm run accounts -- link ...');
    const dispatcher = createDispatcher(config.upstream);
    try {
      const linking = createLinking({
        store: registry.store,
        hosts: createHostPolicy(config.accounts.allowedHosts),
        validate: createValidator(createAccountTransports({ dispatcher, retry: config.upstream.retry })),
        canStore: config.accounts.credentialsKey !== undefined,
        reservedId: config.target.kind === 'none' ? null : config.target.accountId,
      });
      const result = await linking.link({ id: values.id, name: values.name, apiUrl: values['api-url'], token, tenant: values.tenant ?? null });
      if (!result.ok) fail(`${result.refusal.code}: ${result.refusal.message}`);
      print(result.account);
    } finally {
      await dispatcher.close();
    }
  },
  async unlink(registry, [id]) {
    if (!id) fail(`unlink needs an account id\n${USAGE}`);
    if (!isAccountId(id)) fail(`BAD_USER_INPUT: account id ${ACCOUNT_ID_RULE}`);
    if (!(await registry.store.remove(id))) fail(`ACCOUNT_NOT_FOUND: no linked account ${id}`);
    print({ unlinked: id });
  },
  async 'rotate-key'(registry, _args, config) {
    // Account tokens, then webhook endpoint secrets: both are sealed under CREDENTIALS_KEY.
    const tokens = await registry.store.rotateKey();
    const cipher = cipherOf(config.accounts);
    print({ reencrypted: tokens + (cipher ? await rotateSecrets(registry.db, cipher) : 0) });
  },
};

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

class CliFailure extends Error {}

function fail(message: string): never {
  throw new CliFailure(message);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadOrExit(() => loadConfig(process.env));
  const registry = await openRegistry(config.accounts).catch((error: unknown) => loadOrExit(() => { throw error; }));
  try {
    await registry.ready();
    await command(registry, args, config);
    return 0;
  } catch (error) {
    if (!(error instanceof CliFailure) && !(error instanceof Error && error.name === 'MissingKeyError')) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await registry.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
