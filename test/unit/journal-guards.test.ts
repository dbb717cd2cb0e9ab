import { readFileSync, readdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal, type JournalOptions } from '../../src/run/journal.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The journal holds the only record of tasks paid for and not yet downloaded: these tests pin what
 * keeps a task id from being lost, duplicated into the wrong file or read wrongly from another
 * process's file as that process rewrites it.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  dir = join(t.dir, 'journal');
});
afterEach(() => cleanup());

const HOST = 'build-host';
const clock = { t: 1_000 };
const proc = (pid: number, dead: readonly number[] = []): JournalOptions => ({ pid, host: HOST, isAlive: (p) => !dead.includes(p), now: () => ++clock.t });
const jsonl = () => readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
const fileOf = (pid: number) => join(dir, jsonl().find((f) => f.startsWith(`${pid}-`))!);

describe('what an event means', () => {
  it('a new submit after a task id clears that id: the new attempt is unanswered until its own id comes', async () => {
    const j = openJournal(dir, proc(1));
    const job = j.forJob('k', 'runninghub');
    await job.submitting();
    await job.submitted('task-1');
    expect(j.prior('k')).toMatchObject({ taskId: 'task-1', unanswered: false });
    await j.forJob('k', 'runninghub').submitting();
    expect(j.prior('k')).toMatchObject({ taskId: undefined, unanswered: true });
    j.close();
  });

  it('an earlier attempt with neither a task id nor a client id is no prior to resume', async () => {
    const j = openJournal(dir, proc(1));
    await j.forJob('k', 'runninghub').submitting();
    expect(j.prior('k')?.unanswered).toBe(true);
    expect(j.forJob('k', 'runninghub').prior).toBeUndefined();
    j.close();
  });

  it('a key finished and submitted again in one process records the new task', async () => {
    const j = openJournal(dir, proc(1));
    j.finish('k', 'runware', 'failed');
    await j.forJob('k', 'runware').submitted('task-2');
    expect(j.prior('k')).toMatchObject({ taskId: 'task-2' });
    j.close();
  });
});

describe('compaction', () => {
  it('keeps every open task, one per line, an unanswered submit still unanswered', async () => {
    const j = openJournal(dir, proc(1));
    await j.forJob('a', 'runninghub').submitting();
    const b = j.forJob('b', 'runware');
    await b.submitting('uuid-b');
    await b.submitted('task-b');
    await j.forJob('c', 'runware').submitted('task-c');
    j.finish('c', 'runware', 'done');
    await j.compact();
    expect(readFileSync(fileOf(1), 'utf8').trim().split('\n')).toHaveLength(2);
    const next = openJournal(dir, proc(2, [1]));
    expect(next.prior('a')).toMatchObject({ unanswered: true, taskId: undefined });
    expect(next.prior('b')).toMatchObject({ unanswered: false, taskId: 'task-b', clientTaskId: 'uuid-b' });
    expect(next.prior('c')).toBeUndefined();
    next.close();
  });

  it("never copies a live build's open tasks into its own file (they would outlive that build's own record)", async () => {
    const live = openJournal(dir, proc(2));
    await live.forJob('theirs', 'runninghub').submitted('task-t');
    const mine = openJournal(dir, proc(1));
    await mine.forJob('mine', 'runninghub').submitted('task-m');
    expect(mine.prior('theirs')).toMatchObject({ taskId: 'task-t' });
    await mine.compact();
    expect(readFileSync(fileOf(1), 'utf8')).not.toContain('theirs');
    // The live build finishes its task and leaves no file: nothing anywhere says it is open.
    live.finish('theirs', 'runninghub', 'done');
    await live.compact();
    const later = openJournal(dir, proc(3, [1, 2]));
    expect(later.prior('theirs')).toBeUndefined();
    expect(later.prior('mine')).toMatchObject({ taskId: 'task-m' });
    later.close();
  });

  it('without a liveness check, another process on this host counts as alive: its file is neither adopted nor deleted', async () => {
    const other = openJournal(dir, proc(2));
    await other.forJob('k', 'runware').submitted('task-k');
    other.close();
    const j = openJournal(dir, { pid: 1, host: HOST, now: () => ++clock.t });
    await j.compact();
    expect(jsonl()).toEqual([jsonl().find((f) => f.startsWith('2-'))]);
  });

  it('closing twice, and compacting after closing, is harmless; events after that are not written', async () => {
    const j = openJournal(dir, proc(1));
    await j.forJob('k', 'runware').submitted('task-k');
    j.close();
    j.close();
    j.finish('k', 'runware', 'done');
    await j.compact();
    const next = openJournal(dir, proc(2, [1]));
    expect(next.prior('k')).toMatchObject({ taskId: 'task-k' });
    next.close();
  });
});

describe("reading another process's file as it changes", () => {
  it('sees the file again from its start when its owner rewrites it (a new inode) or truncates it', async () => {
    const other = openJournal(dir, proc(2));
    const job = other.forJob('k', 'runninghub');
    await job.submitting();
    await job.submitted('task-1');
    const reader = openJournal(dir, proc(1));
    expect(reader.prior('k')).toMatchObject({ taskId: 'task-1' });
    const file = fileOf(2);
    // Rewritten atomically, shorter: another task only.
    const line = (k: string, t: string) => `${JSON.stringify({ k, e: 'submitted', p: 'runninghub', t, at: ++clock.t })}\n`;
    writeFileSync(`${file}.new`, line('z', 'task-z'));
    renameSync(`${file}.new`, file);
    expect(reader.prior('k')).toBeUndefined();
    expect(reader.prior('z')).toMatchObject({ taskId: 'task-z' });
    // Truncated in place to less than was read: read from the start, not from the old offset.
    truncateSync(file, 0);
    writeFileSync(file, line('y', 't'));
    expect(reader.prior('z')).toBeUndefined();
    expect(reader.prior('y')).toMatchObject({ taskId: 't' });
    reader.close();
    other.close();
  });

  it('a line still being written is read once it is complete', async () => {
    const reader = openJournal(dir, proc(1));
    const file = join(dir, '2-abcd@build-host.jsonl');
    const full = JSON.stringify({ k: 'k', e: 'submitted', p: 'runware', t: 'task-1', at: ++clock.t });
    writeFileSync(file, full.slice(0, 20));
    expect(reader.prior('k')).toBeUndefined();
    writeFileSync(file, `${full}\n`);
    expect(reader.prior('k')).toMatchObject({ taskId: 'task-1' });
    reader.close();
  });

  it('files that are not journal files are neither read nor adopted nor deleted', async () => {
    const line = `${JSON.stringify({ k: 'k', e: 'submitted', p: 'runware', t: 'task-x', at: 5 })}\n`;
    const strays = ['notes-2-ab@build-host.jsonl', '2-ab@build-host.jsonl.bak', 'x.txt'];
    const j = openJournal(dir, proc(1, [2]));
    for (const name of strays) writeFileSync(join(dir, name), line);
    expect(j.prior('k')).toBeUndefined();
    await j.compact();
    expect(readdirSync(dir).sort()).toEqual([...strays].sort());
  });

  it('reading other files leaves no file descriptor open', async () => {
    const other = openJournal(dir, proc(2));
    await other.forJob('k', 'runware').submitted('task-k');
    const reader = openJournal(dir, proc(1));
    const open = () => readdirSync('/proc/self/fd').length;
    reader.prior('k');
    const before = open();
    for (let i = 0; i < 50; i++) reader.prior('k');
    expect(open()).toBe(before);
    reader.close();
    other.close();
  });
});
