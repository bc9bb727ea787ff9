/** What one line of shell input amounts to. */
export type ShellInput =
  | { kind: 'query'; text: string }
  | { kind: 'command'; name: string; argument: string }
  | { kind: 'more' }
  | { kind: 'nothing' };

const QUERY_TERMINATOR = ';;';

/**
 * Collects shell lines into queries: a query ends at an empty line or at a line ending in
 * `;;` (which is dropped). A line starting with `.` on an empty buffer is a shell command.
 */
export class QueryBuffer {
  private lines: string[] = [];

  get isEmpty(): boolean {
    return this.lines.length === 0;
  }

  push(line: string): ShellInput {
    const trimmed = line.trimEnd();
    if (this.isEmpty) {
      if (trimmed.trim() === '') return { kind: 'nothing' };
      const command = /^\s*\.(\S+)\s*(.*)$/.exec(trimmed);
      if (command) return { kind: 'command', name: command[1]!.toLowerCase(), argument: command[2]! };
    }
    if (trimmed === '') return this.take();
    if (trimmed.endsWith(QUERY_TERMINATOR)) {
      this.lines.push(trimmed.slice(0, -QUERY_TERMINATOR.length));
      return this.take();
    }
    this.lines.push(line);
    return { kind: 'more' };
  }

  /** Ends the query at end of input: whatever is pending, if anything. */
  finish(): ShellInput {
    return this.take();
  }

  clear(): void {
    this.lines = [];
  }

  private take(): ShellInput {
    const text = this.lines.join('\n');
    this.lines = [];
    return text.trim() === '' ? { kind: 'nothing' } : { kind: 'query', text };
  }
}
