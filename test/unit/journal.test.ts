import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal, type JournalOptions } from '../../src/run/journal.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  dir = join(root, 'journal');
});
afterEach(() => cleanup());

const HOST = 'build-host';
/** A process on HOST; `dead` lists the pids that no longer run. */
const proc = (pid: number, dead: readonly number[] = [], clock = { t: 1_000 }): JournalOptions => ({
  pid,
  host: HOST,
  isAlive: (p) => !dead.includes(p),
  now: () => ++clock.t,
});
const files = () => (existsSync(dir) ? readdirSync(dir) : []).filter((f) => f.endsWith('.jsonl'));

describe('journal', () => {
  it("hands a killed run's task ids to the next run", async () => {
    const first = openJournal(dir, proc(100));
    const job = first.forJob('k1', 'runninghub');
    await job.submitting();
    await job.submitted('task-1');
    await first.forJob('k2', 'runware').submitting('uuid-2');
    first.close(); // killed: no compaction

    const second = openJournal(dir, proc(200, [100]));
    expect(second.forJob('k1', 'runninghub').prior).toEqual({ taskId: 'task-1', clientTaskId: undefined });
    expect(second.forJob('k2', 'runware').prior).toEqual({ taskId: undefined, clientTaskId: 'uuid-2' });
    expect(second.prior('k2')?.unanswered).toBe(true);
    expect(second.prior('k3')).toBeUndefined();
  });

  it('forgets finished tasks and removes its file when nothing is open', async () => {
    const j = openJournal(dir, proc(100));
    await j.forJob('k1', 'runninghub').submitted('t1');
    j.finish('k1', 'runninghub', 'done');
    await j.compact();
    expect(files()).toEqual([]);
  });

  it('keeps only open tasks when compacting', async () => {
    const j = openJournal(dir, proc(100));
    await j.forJob('a', 'runcomfy').submitted('ta');
    await j.forJob('b', 'runcomfy').submitted('tb');
    j.finish('a', 'runcomfy', 'failed');
    await j.compact();
    const [file] = files();
    expect(readFileSync(join(dir, file!), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(openJournal(dir, proc(200, [100])).prior('b')?.taskId).toBe('tb');
  });

  it('drops open tasks the caller says are settled (another build cached them)', async () => {
    const j = openJournal(dir, proc(100));
    await j.forJob('a', 'runcomfy').submitted('ta');
    await j.forJob('b', 'runcomfy').submitted('tb');
    await j.compact(async (task) => task.key !== 'a');
    const next = openJournal(dir, proc(200, [100]));
    expect(next.prior('a')).toBeUndefined();
    expect(next.prior('b')?.taskId).toBe('tb');
  });

  it('ignores a line torn by a kill mid-write', async () => {
    const j = openJournal(dir, proc(100));
    await j.forJob('k', 'runninghub').submitted('t-ok');
    j.close();
    appendFileSync(join(dir, files()[0]!), '{"k":"k","e":"done","p":"runn');
    expect(openJournal(dir, proc(200, [100])).prior('k')?.taskId).toBe('t-ok');
  });

  it("never loses another live process's lines when one process compacts", async () => {
    const clock = { t: 1_000 };
    const a = openJournal(dir, proc(100, [], clock));
    const b = openJournal(dir, proc(200, [], clock));
    await a.forJob('ka', 'runware').submitting('uuid-a');
    await b.forJob('kb', 'runware').submitting('uuid-b');
    await a.compact(); // A ends first while B still runs
    b.close(); // B is killed
    const next = openJournal(dir, proc(300, [100, 200], clock));
    expect(next.prior('ka')?.clientTaskId).toBe('uuid-a');
    expect(next.prior('kb')?.clientTaskId).toBe('uuid-b');
  });

  it("sees a live process's newer lines, and the newest event for a key wins across files", async () => {
    const clock = { t: 1_000 };
    const a = openJournal(dir, proc(100, [], clock));
    const b = openJournal(dir, proc(200, [100], clock));
    expect(b.prior('k')).toBeUndefined();
    await a.forJob('k', 'runninghub').submitted('t-a');
    a.close(); // A dies holding k; B takes it over and resumes t-a
    expect(b.forJob('k', 'runninghub').prior?.taskId).toBe('t-a');
    b.finish('k', 'runninghub', 'done');
    expect(b.prior('k')).toBeUndefined();
    expect(openJournal(dir, proc(300, [100], clock)).prior('k')).toBeUndefined();
  });

  it("adopts a dead process's open tasks before deleting its file, and leaves live ones alone", async () => {
    const clock = { t: 1_000 };
    const dead = openJournal(dir, proc(100, [], clock));
    await dead.forJob('kd', 'runninghub').submitted('t-dead');
    dead.close();
    const live = openJournal(dir, proc(200, [], clock));
    await live.forJob('kl', 'runninghub').submitted('t-live');
    const me = openJournal(dir, proc(300, [100], clock));
    await me.compact();
    const left = files();
    expect(left).toHaveLength(2); // mine (carrying kd) and the live one
    expect(left.some((f) => f.startsWith('100-'))).toBe(false);
    const next = openJournal(dir, proc(400, [100, 200, 300], clock));
    expect(next.prior('kd')?.taskId).toBe('t-dead');
    expect(next.prior('kl')?.taskId).toBe('t-live');
  });

  it("never adopts or deletes the file of a process on another host, whatever its pid means here", async () => {
    const clock = { t: 1_000 };
    // Another machine sharing the cache folder (a network volume): its pid 100 is not ours to judge.
    const elsewhere = openJournal(dir, { ...proc(100, [], clock), host: 'other-host' });
    await elsewhere.forJob('ko', 'runninghub').submitted('t-other');
    const me = openJournal(dir, proc(300, [100], clock));
    await me.compact();
    expect(files().filter((f) => f.startsWith('100-'))).toHaveLength(1);
    // Still its own: a later build on that host reads it there, and mine carries nothing of it.
    expect(files().filter((f) => f.startsWith('300-'))).toEqual([]);
    await elsewhere.forJob('ko2', 'runninghub').submitted('t-other-2');
    expect(openJournal(dir, proc(400, [100, 300], clock)).prior('ko2')?.taskId).toBe('t-other-2');
  });

  it('reads and adopts the single-file journal of earlier versions', async () => {
    const legacyFile = join(root, 'journal.jsonl');
    writeFileSync(legacyFile, `${JSON.stringify({ k: 'old', e: 'submitted', p: 'runcomfy', t: 't-old' })}\n`);
    const j = openJournal(dir, { ...proc(100), legacyFile });
    expect(j.prior('old')?.taskId).toBe('t-old');
    await j.compact();
    expect(existsSync(legacyFile)).toBe(false);
    expect(openJournal(dir, proc(200, [100])).prior('old')?.taskId).toBe('t-old');
  });
});
