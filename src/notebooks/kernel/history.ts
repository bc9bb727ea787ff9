/** One executed cell: [session, line, input] or, with output, [session, line, [input, output]]. */
export type HistoryEntry = [number, number, string] | [number, number, [string, string | null]];

interface Record_ {
  line: number;
  input: string;
  output: string | null;
}

export interface HistoryRequest {
  hist_access_type?: string;
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/** The kernel's input history for this session (kept in memory: a kernel restart starts a new one). */
export class KernelHistory {
  /** Jupyter numbers sessions; this kernel has only the current one. */
  readonly session = 1;
  private readonly records: Record_[] = [];

  add(line: number, input: string, output: string | null): void {
    this.records.push({ line, input, output });
  }

  query(req: HistoryRequest): HistoryEntry[] {
    const entry = (r: Record_): HistoryEntry => (req.output ? [this.session, r.line, [r.input, r.output]] : [this.session, r.line, r.input]);
    const n = typeof req.n === 'number' && req.n > 0 ? req.n : undefined;
    switch (req.hist_access_type) {
      case 'tail':
        return (n ? this.records.slice(-n) : this.records).map(entry);
      case 'range': {
        // Sessions other than the current one (and negative, relative ones) have nothing kept.
        if (req.session !== undefined && req.session !== this.session && req.session !== 0) return [];
        const start = req.start ?? 0;
        const stop = req.stop ?? Infinity;
        return this.records.filter((r) => r.line >= start && r.line < stop).map(entry);
      }
      case 'search': {
        const re = globToRegExp(req.pattern ?? '*');
        let hits = this.records.filter((r) => re.test(r.input));
        if (req.unique) {
          const seen = new Set<string>();
          hits = hits.reverse().filter((r) => !seen.has(r.input) && seen.add(r.input)).reverse();
        }
        return (n ? hits.slice(-n) : hits).map(entry);
      }
      default:
        return [];
    }
  }
}

/** IPython's history search pattern: a glob (`*`, `?`) matched against the whole input. */
function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${body}$`);
}
