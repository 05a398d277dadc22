import { chmod, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryStartError } from './db-faults.js';

/**
 * DATA_DIR holds the embedded registry: account ids, names, URLs and tenants in clear, ciphertexts,
 * and the write-ahead log of all of it. Only the user running the subgraph may enter it: directories
 * are created 0700, and an existing DATA_DIR is made 0700 at start. PGlite's Postgres runs without a
 * umask in WebAssembly and marks the files it creates 0666, so files are also tightened to 0600
 * whenever the registry is opened and closed; while it runs, the 0700 directory keeps others out.
 */
export async function privateDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: 0o700 });
    await chmod(path, 0o700);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new RegistryStartError(`DATA_DIR ${path} cannot be created or made private (0700) by this process (${code}): it must belong to the user running the subgraph`);
  }
}

/** Removes every group and other permission under `root` (symbolic links are left alone). */
export async function tighten(root: string): Promise<void> {
  for (const entry of await readdir(root, { withFileTypes: true }).catch(ifGone([]))) {
    const path = join(root, entry.name);
    if (entry.isSymbolicLink()) continue;
    const mode = (await lstat(path).catch(ifGone(undefined)))?.mode;
    if (mode !== undefined && (mode & 0o077) !== 0) await chmod(path, mode & 0o700).catch(ifGone(undefined));
    if (entry.isDirectory()) await tighten(path);
  }
}

/** Postgres removes files of its own (old WAL segments, temporary files) while the walk runs. */
const ifGone =
  <T>(fallback: T) =>
  (error: unknown): T => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  };

/** Two processes on one PGlite directory would corrupt it: a start-up failure naming the setting. */
export class DirectoryInUseError extends RegistryStartError {
  constructor(dataDir: string, pid: number) {
    super(`DATA_DIR ${dataDir} is in use by process ${pid}: PGlite serves one process at a time (replicas need DATABASE_URL)`);
    this.name = 'DirectoryInUseError';
  }
}

/** `<dir>.pid` names the process holding the directory; a holder that is no longer alive is replaced. */
export async function lockDirectory(dataDir: string): Promise<() => Promise<void>> {
  const path = `${dataDir}.pid`;
  try {
    await writeFile(path, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = await directoryHolder(dataDir);
    if (holder !== undefined) throw new DirectoryInUseError(dataDir, holder);
    await writeFile(path, String(process.pid), { mode: 0o600 });
  }
  return () => rm(path, { force: true });
}

/** The live process (other than this one) holding a PGlite directory, if any: the accounts CLI asks it. */
export async function directoryHolder(dataDir: string): Promise<number | undefined> {
  const holder = Number.parseInt(await readFile(`${dataDir}.pid`, 'utf8').catch(() => ''), 10);
  return holder > 0 && holder !== process.pid && isAlive(holder) ? holder : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
