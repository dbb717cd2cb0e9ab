import { randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { JobJournal } from '../providers/types.js';
import type { PriorAttempt } from '../core/generation.js';

/**
 * Append-only record of remote tasks, so a build killed at any moment can resume them instead of
 * paying again. Several builds may share a cache, so each process appends to its own file,
 * `<dir>/<pid>-<random>@<host>.jsonl`, and only ever rewrites its own: one JSON line per event,
 * each written with a single write() and fdatasync'd before the caller goes on; a torn last line
 * (kill mid-write) is ignored on reading. Lookups fold every process's file, newest event per key
 * winning (lines carry a wall-clock time), so the process that takes a generation over from a
 * dead one finds the dead one's task id. When a build ends it rewrites its file atomically with
 * the tasks still open, carrying over those of dead processes on this host, whose files it then
 * deletes.
 */

type JournalEvent = 'submitting' | 'submitted' | 'done' | 'failed';

interface JournalLine {
  readonly k: string;
  readonly e: JournalEvent;
  readonly p: string;
  readonly t?: string;
  readonly c?: string;
  /** Wall-clock milliseconds; absent in journals written before there were several files. */
  readonly at?: number;
}

export interface OpenTask extends PriorAttempt {
  readonly key: string;
  readonly provider: string;
  /** Sent, but the answer (task id) never arrived: the provider may or may not have the task. */
  readonly unanswered: boolean;
}

export interface Journal {
  /** What an earlier or concurrent (now finished or dead) run left open for this generation key. */
  prior(key: string): OpenTask | undefined;
  forJob(key: string, provider: string): JobJournal;
  finish(key: string, provider: string, outcome: 'done' | 'failed'): void;
  /**
   * Rewrites this process's file with the tasks still open (dropping those `stillOpen` rejects,
   * e.g. already cached), adopting the files of dead processes; removes the file when none are left.
   */
  compact(stillOpen?: (task: OpenTask) => Promise<boolean>): Promise<void>;
  close(): void;
}

export interface JournalOptions {
  readonly pid?: number;
  readonly host?: string;
  readonly isAlive?: (pid: number) => boolean;
  readonly now?: () => number;
  /** The single-file journal of earlier versions: read, adopted and removed like a dead process's. */
  readonly legacyFile?: string;
}

/** Per key, the latest event of one file: open (a task) or closed at `at`. */
interface KeyState {
  readonly at: number;
  readonly task?: OpenTask;
}

function apply(states: Map<string, KeyState>, line: JournalLine): void {
  const at = line.at ?? 0;
  if (line.e === 'done' || line.e === 'failed') {
    states.set(line.k, { at });
    return;
  }
  const before = states.get(line.k)?.task;
  states.set(line.k, {
    at,
    task: {
      key: line.k,
      provider: line.p,
      taskId: line.t ?? (line.e === 'submitting' ? undefined : before?.taskId),
      clientTaskId: line.c ?? before?.clientTaskId,
      unanswered: line.e === 'submitting',
    },
  });
}

function parseLines(text: string): JournalLine[] {
  const lines: JournalLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      const line = JSON.parse(raw) as JournalLine;
      if (typeof line.k === 'string' && typeof line.e === 'string') lines.push(line);
    } catch {
      // A line torn by a kill mid-write: the event before it still stands.
    }
  }
  return lines;
}

/** Another process's file, read incrementally (it only grows until its owner rewrites it). */
interface Source {
  readonly file: string;
  readonly owner?: { readonly pid: number; readonly host: string };
  ino: number;
  offset: number;
  states: Map<string, KeyState>;
}

function refresh(source: Source): void {
  let fd: number;
  try {
    fd = openSync(source.file, 'r');
  } catch {
    source.states = new Map();
    source.offset = 0;
    return;
  }
  try {
    const { ino, size } = fstatSync(fd);
    if (ino !== source.ino || size < source.offset) {
      source.ino = ino;
      source.offset = 0;
      source.states = new Map();
    }
    if (size === source.offset) return;
    const buffer = Buffer.alloc(size - source.offset);
    const read = readSync(fd, buffer, 0, buffer.length, source.offset);
    // Only complete lines: a live owner may be in the middle of its next one.
    const end = buffer.lastIndexOf(0x0a, read - 1) + 1;
    for (const line of parseLines(buffer.subarray(0, end).toString('utf8'))) apply(source.states, line);
    source.offset += end;
  } finally {
    closeSync(fd);
  }
}

const FILE_NAME = /^(\d+)-[0-9a-f]+@(.+)\.jsonl$/;

export function openJournal(dir: string, options: JournalOptions = {}): Journal {
  const pid = options.pid ?? process.pid;
  const host = options.host ?? hostname();
  const now = options.now ?? Date.now;
  const isAlive = options.isAlive ?? (() => true);
  mkdirSync(dir, { recursive: true });
  const ownName = `${pid}-${randomBytes(4).toString('hex')}@${encodeURIComponent(host)}.jsonl`;
  const ownFile = join(dir, ownName);
  const own = new Map<string, KeyState>();
  const sources = new Map<string, Source>();
  let fd: number | undefined = openSync(ownFile, 'a');

  function scan(): Source[] {
    const found: { file: string; owner?: Source['owner'] }[] = options.legacyFile ? [{ file: options.legacyFile }] : [];
    for (const name of readdirSync(dir)) {
      const m = FILE_NAME.exec(name);
      if (m && name !== ownName) found.push({ file: join(dir, name), owner: { pid: Number(m[1]), host: decodeURIComponent(m[2]!) } });
    }
    return found.map(({ file, owner }) => {
      let source = sources.get(file);
      if (!source) sources.set(file, (source = { file, owner, ino: -1, offset: 0, states: new Map() }));
      refresh(source);
      return source;
    });
  }

  /** The newest state of `key` over this process's events and the other files'. */
  function latest(key: string, others: readonly Source[]): { state?: KeyState; source?: Source } {
    let best: { state?: KeyState; source?: Source } = { state: own.get(key) };
    for (const source of others) {
      const state = source.states.get(key);
      if (state && (!best.state || state.at > best.state.at)) best = { state, source };
    }
    return best;
  }

  function append(line: JournalLine): void {
    if (fd === undefined) return;
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fdatasyncSync(fd);
    apply(own, line);
  }

  const prior = (key: string) => latest(key, scan()).state?.task;
  const dead = (s: Source) => !s.owner || (s.owner.host === host && s.owner.pid !== pid && !isAlive(s.owner.pid));

  return {
    prior,
    forJob(key, provider) {
      const before = prior(key);
      return {
        prior: before && (before.taskId || before.clientTaskId) ? { taskId: before.taskId, clientTaskId: before.clientTaskId } : undefined,
        async submitting(clientTaskId) {
          append({ k: key, e: 'submitting', p: provider, c: clientTaskId, at: now() });
        },
        async submitted(taskId) {
          append({ k: key, e: 'submitted', p: provider, t: taskId, c: own.get(key)?.task?.clientTaskId, at: now() });
        },
      };
    },
    finish(key, provider, outcome) {
      // Also for a task resumed from another process's file: that file still says it is open.
      append({ k: key, e: outcome, p: provider, at: now() });
    },
    async compact(stillOpen) {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      const others = scan();
      const adopted = others.filter(dead);
      const keys = new Set([...own.keys(), ...adopted.flatMap((s) => [...s.states.keys()])]);
      const lines: string[] = [];
      for (const key of keys) {
        const { state, source } = latest(key, others);
        if (!state?.task || (source && !adopted.includes(source))) continue;
        if (stillOpen && !(await stillOpen(state.task))) continue;
        const t = state.task;
        lines.push(JSON.stringify({ k: t.key, e: t.unanswered ? 'submitting' : 'submitted', p: t.provider, t: t.taskId, c: t.clientTaskId, at: state.at }));
      }
      // Written before the adopted files go: a kill in between leaves a task twice, never nowhere.
      if (lines.length === 0) rmSync(ownFile, { force: true });
      else await writeFileAtomic(ownFile, `${lines.join('\n')}\n`);
      for (const source of adopted) rmSync(source.file, { force: true });
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
