import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The data directory and every folder the app makes in it: its user only. */
export const PRIVATE_DIR_MODE = 0o700;
/** The database (SMTP password, SMS gateway auth, webhook secrets), its WAL, the outbox files. */
export const PRIVATE_FILE_MODE = 0o600;

/** SQLite's companions of a database file (WAL mode; the rollback journal of older runs). */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'];

/** chmod where POSIX modes mean something (Windows keeps the profile's ACLs). */
function chmodIfPosix(path: string, mode: number): void {
  if (process.platform === 'win32') return;
  chmodSync(path, mode);
}

/** A folder made (or narrowed) to 0700, whatever the umask. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodIfPosix(dir, PRIVATE_DIR_MODE);
}

/** Files 0600 and folders 0700 below `dir` (links are left alone: never follow one out). */
function narrowTree(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) {
      chmodIfPosix(path, PRIVATE_DIR_MODE);
      narrowTree(path);
    } else if (stat.isFile()) {
      chmodIfPosix(path, PRIVATE_FILE_MODE);
    }
  }
}

/** A file made (empty, when missing) or narrowed to 0600 before anything writes to it. */
export function restrictFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodIfPosix(path, PRIVATE_FILE_MODE);
}

/**
 * The SQLite file and its companions at 0600. A missing database file is created empty at 0600
 * before SQLite opens it (an empty file is a valid database), so SQLite — which gives its -wal
 * and -shm files the database file's mode — never makes a readable one.
 */
export function restrictSqliteFiles(databaseFile: string): void {
  restrictFile(databaseFile);
  for (const path of SQLITE_COMPANIONS.map((s) => `${databaseFile}${s}`)) {
    if (existsSync(path)) chmodIfPosix(path, PRIVATE_FILE_MODE);
  }
}

/**
 * The data directory holds the shop's secrets (the database with SMTP password, SMS gateway
 * auth and webhook secrets; emails and texts in the local outbox): 0700, and what the app keeps
 * in it 0600 — also when an older version (or a loose umask) left them readable.
 */
export function secureDataDir(dataDir: string, options: { databaseFile?: string | undefined; outboxDir: string }): void {
  ensurePrivateDir(dataDir);
  if (options.databaseFile !== undefined) restrictSqliteFiles(options.databaseFile);
  ensurePrivateDir(options.outboxDir);
  narrowTree(options.outboxDir);
}
