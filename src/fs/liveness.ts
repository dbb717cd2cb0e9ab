/** Whether a process runs on this host: process.kill(pid, 0); ESRCH means none, EPERM another user's. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
