import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/run/journal.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('journal', () => {
  it('hands a killed run\'s task ids to the next run', async () => {
    const file = join(dir, 'journal.jsonl');
    const first = openJournal(file);
    const job = first.forJob('k1', 'runninghub');
    await job.submitting();
    await job.submitted('task-1');
    await first.forJob('k2', 'runware').submitting('uuid-2');
    first.close(); // killed: no compaction

    const second = openJournal(file);
    expect(second.forJob('k1', 'runninghub').prior).toEqual({ taskId: 'task-1', clientTaskId: undefined });
    expect(second.forJob('k2', 'runware').prior).toEqual({ taskId: undefined, clientTaskId: 'uuid-2' });
    expect(second.prior('k2')?.unanswered).toBe(true);
    expect(second.prior('k3')).toBeUndefined();
  });

  it('forgets finished tasks and removes the file when nothing is open', async () => {
    const file = join(dir, 'journal.jsonl');
    const j = openJournal(file);
    await j.forJob('k1', 'runninghub').submitted('t1');
    j.finish('k1', 'runninghub', 'done');
    await j.compact();
    expect(existsSync(file)).toBe(false);
  });

  it('keeps only open tasks when compacting', async () => {
    const file = join(dir, 'journal.jsonl');
    const j = openJournal(file);
    await j.forJob('a', 'runcomfy').submitted('ta');
    await j.forJob('b', 'runcomfy').submitted('tb');
    j.finish('a', 'runcomfy', 'failed');
    await j.compact();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(openJournal(file).prior('b')?.taskId).toBe('tb');
  });

  it('ignores a line torn by a kill mid-write', async () => {
    const file = join(dir, 'journal.jsonl');
    const j = openJournal(file);
    await j.forJob('k', 'runninghub').submitted('t-ok');
    j.close();
    appendFileSync(file, '{"k":"k","e":"done","p":"runn');
    expect(openJournal(file).prior('k')?.taskId).toBe('t-ok');
  });
});
