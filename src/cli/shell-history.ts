import { readFileSync, writeFileSync } from 'node:fs';

export const HISTORY_SIZE = 1000;

/** Loads history saved oldest first; returns it newest first, as node:readline wants it. */
export function loadHistory(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // no history yet
  }
  return text.split('\n').filter((l) => l.trim() !== '').reverse().slice(0, HISTORY_SIZE);
}

/** Saves readline's history (newest first) as lines, oldest first, like a shell's history file. */
export function saveHistory(file: string, newestFirst: readonly string[]): void {
  const lines = newestFirst.slice(0, HISTORY_SIZE).reverse();
  writeFileSync(file, lines.map((l) => l + '\n').join(''));
}
