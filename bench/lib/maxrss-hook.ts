import { writeFileSync } from 'node:fs';

/**
 * Loaded with `node --import` into a child whose peak memory is measured: at exit it writes the
 * process's peak resident set (KiB, libvips threads included) to $BENCH_MAXRSS_FILE.
 */
const file = process.env['BENCH_MAXRSS_FILE'];
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // Nothing to report to: the parent shows the figure as not measured.
    }
  });
}
