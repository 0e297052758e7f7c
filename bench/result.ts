/** What each benchmark hands to run.ts: figures for results.json, rows for the printed table. */
export interface TableRow {
  what: string;
  value: string;
  baseline?: string;
  ratio?: number | null;
}

export interface BenchResult {
  name: string;
  target: string;
  /** null when the benchmark could not judge (e.g. what it measures does not exist yet) */
  passed: boolean | null;
  figures: Record<string, unknown>;
  rows: TableRow[];
  notes: string[];
}

export interface BenchOptions {
  /** smaller data and fewer samples, for iteration */
  quick: boolean;
  /** overrides the number of measured samples (incidents, events) at full data size */
  samples?: number;
}

export const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
