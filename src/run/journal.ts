import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { JobJournal } from '../providers/types.js';
import type { PriorAttempt } from '../core/generation.js';

/**
 * Append-only record of remote tasks, so a build killed at any moment can resume them instead of
 * paying again. One JSON line per event, each written with a single write() and fdatasync'd
 * before the caller goes on; a torn last line (kill mid-write) is ignored on reading. The file is
 * rewritten atomically (temp + rename) when a build ends, keeping only tasks still open.
 */

type JournalEvent = 'submitting' | 'submitted' | 'done' | 'failed';

interface JournalLine {
  readonly k: string;
  readonly e: JournalEvent;
  readonly p: string;
  readonly t?: string;
  readonly c?: string;
}

export interface OpenTask extends PriorAttempt {
  readonly key: string;
  readonly provider: string;
  /** Sent, but the answer (task id) never arrived: the provider may or may not have the task. */
  readonly unanswered: boolean;
}

export interface Journal {
  /** What an earlier, interrupted run left open for this generation key. */
  prior(key: string): OpenTask | undefined;
  forJob(key: string, provider: string): JobJournal;
  finish(key: string, provider: string, outcome: 'done' | 'failed'): void;
  /** Rewrites the file with only the open tasks (or removes it when none are left). */
  compact(): Promise<void>;
  close(): void;
}

function fold(lines: Iterable<JournalLine>): Map<string, OpenTask> {
  const open = new Map<string, OpenTask>();
  for (const line of lines) {
    if (line.e === 'done' || line.e === 'failed') {
      open.delete(line.k);
      continue;
    }
    const before = open.get(line.k);
    open.set(line.k, {
      key: line.k,
      provider: line.p,
      taskId: line.t ?? (line.e === 'submitting' ? undefined : before?.taskId),
      clientTaskId: line.c ?? before?.clientTaskId,
      unanswered: line.e === 'submitting',
    });
  }
  return open;
}

function readLines(file: string): JournalLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
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

export function openJournal(file: string): Journal {
  const open = fold(readLines(file));
  // Tasks from before this run stay answerable even after this run records newer events.
  const prior = new Map(open);
  mkdirSync(dirname(file), { recursive: true });
  let fd: number | undefined = openSync(file, 'a');

  function append(line: JournalLine): void {
    if (fd === undefined) return;
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fdatasyncSync(fd);
    const [folded] = fold([line]).values();
    if (folded) open.set(line.k, { ...folded, taskId: folded.taskId ?? open.get(line.k)?.taskId });
    else open.delete(line.k);
  }

  return {
    prior: (key) => prior.get(key),
    forJob(key, provider) {
      const before = prior.get(key);
      return {
        prior: before && (before.taskId || before.clientTaskId) ? { taskId: before.taskId, clientTaskId: before.clientTaskId } : undefined,
        async submitting(clientTaskId) {
          append({ k: key, e: 'submitting', p: provider, c: clientTaskId });
        },
        async submitted(taskId) {
          append({ k: key, e: 'submitted', p: provider, t: taskId, c: open.get(key)?.clientTaskId });
        },
      };
    },
    finish(key, provider, outcome) {
      if (open.has(key)) append({ k: key, e: outcome, p: provider });
    },
    async compact() {
      if (fd !== undefined) {
        closeSync(fd);
        fd = undefined;
      }
      const remaining = [...open.values()];
      if (remaining.length === 0) {
        rmSync(file, { force: true });
      } else {
        const text = remaining
          .map((t) => JSON.stringify({ k: t.key, e: t.unanswered ? 'submitting' : 'submitted', p: t.provider, t: t.taskId, c: t.clientTaskId }))
          .join('\n');
        await writeFileAtomic(file, `${text}\n`);
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
