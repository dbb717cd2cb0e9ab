import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Loaded with `node --import` into a child whose peak memory is measured: at exit it writes the
 * largest peak resident set of the processes that loaded it in KiB (libvips threads included) to $BENCH_MAXRSS_FILE.
 *
 * On Linux it reads VmHWM: getrusage's maxRSS survives execve, so a child forked from a 300 MB
 * bench process would report at least 300 MB whatever it did itself.
 */
function peakKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS;
}

const file = process.env['BENCH_MAXRSS_FILE'];
if (file) {
  process.on('exit', () => {
    try {
      // The bin runs a build in a child: both load this hook, the child exits first; keep the larger.
      let before = 0;
      try {
        before = Number(readFileSync(file, 'utf8')) || 0;
      } catch {
        // First process to report.
      }
      writeFileSync(file, String(Math.max(before, peakKiB())));
    } catch {
      // Nothing to report to: the parent shows the figure as not measured.
    }
  });
}
