import { cpus, freemem, totalmem } from 'node:os';

/** One measured number, with what it is compared against and whether it meets its target. */
export interface Figure {
  readonly scenario: string;
  readonly name: string;
  /** null when the figure could not be measured (see note). */
  readonly value: number | null;
  readonly unit: string;
  /** What the value is set beside: the floor, or what a user would otherwise run. */
  readonly reference?: string;
  readonly target?: string;
  /** undefined: the figure has no target. */
  readonly pass?: boolean;
  readonly note?: string;
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemMb: number;
  readonly freeMemMb: number;
  readonly node: string;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    totalMemMb: Math.round(totalmem() / 2 ** 20),
    freeMemMb: Math.round(freemem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'n/a';
  if (Number.isInteger(value)) return `${value}${unit ? ` ${unit}` : ''}`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function verdict(f: Figure): string {
  if (f.pass === undefined) return '';
  return f.pass ? 'pass' : 'FAIL';
}

/** A plain-text table, columns padded to their widest cell. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['scenario', 'figure', 'value', 'reference', 'target', 'result'];
  const rows = figures.map((f) => [f.scenario, f.name, formatValue(f.value, f.unit), f.reference ?? '', f.target ?? '', verdict(f)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = figures.filter((f) => f.note).map((f) => `  * ${f.scenario} / ${f.name}: ${f.note}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
