/** KQL scalar type names, as Kusto.Language and Kusto itself spell them. */
export type KqlType =
  | 'bool' | 'int' | 'long' | 'real' | 'decimal' | 'string'
  | 'datetime' | 'timespan' | 'guid' | 'dynamic';

export const KQL_TYPES: readonly KqlType[] = [
  'bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic',
];

export interface Column {
  name: string;
  type: KqlType;
}

export function isKqlType(s: string): s is KqlType {
  return (KQL_TYPES as readonly string[]).includes(s);
}

/** Normalises the aliases Kusto accepts (`boolean`, `double`, `date`, `time`, `uniqueid`, …). */
export function normaliseTypeName(s: string): KqlType | undefined {
  const t = s.toLowerCase();
  const alias: Record<string, KqlType> = {
    boolean: 'bool', double: 'real', date: 'datetime', time: 'timespan',
    uniqueid: 'guid', int32: 'int', int64: 'long', float: 'real',
  };
  if (isKqlType(t)) return t;
  return alias[t];
}

export const isNumeric = (t: KqlType) => t === 'int' || t === 'long' || t === 'real' || t === 'decimal';
