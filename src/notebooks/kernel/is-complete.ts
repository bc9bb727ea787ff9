import { syntaxErrors } from '../../kql/frontend/kusto-language.js';
import { MagicError, parseCell } from '../cells/magics.js';

export type Completeness = { status: 'complete' | 'invalid' | 'unknown' } | { status: 'incomplete'; indent: string };

/**
 * Whether a console should run the cell now or wait for more lines: a trailing pipe, comma,
 * operator or open bracket or string means more is coming; a syntax error elsewhere means it
 * cannot run.
 */
export function isComplete(source: string): Completeness {
  let code: string;
  try {
    code = parseCell(source).code;
  } catch (err) {
    if (err instanceof MagicError) return { status: 'invalid' };
    throw err;
  }
  const text = code.replace(/\/\/[^\n]*$/gm, '').trimEnd();
  if (text.trim() === '') return { status: 'complete' };
  const open = openBrackets(text);
  if (open === undefined) return { status: 'incomplete', indent: '' };
  if (open > 0) return { status: 'incomplete', indent: '    ' };
  if (/(\||,|=|\(|\b(and|or|by|on|with|let)|[-+*/<>!])$/i.test(text)) return { status: 'incomplete', indent: text.endsWith('|') ? '' : '    ' };
  return syntaxErrors(code).length ? { status: 'invalid' } : { status: 'complete' };
}

/** Depth of unclosed brackets, or undefined when a string literal is left open. */
function openBrackets(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const verbatim = text[i - 1] === '@';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) if (!verbatim && text[j] === '\\') j++;
      if (j >= text.length) return undefined;
      i = j;
    } else if (c === '`' && text.startsWith('```', i)) {
      const end = text.indexOf('```', i + 3);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return depth;
}
