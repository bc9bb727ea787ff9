import type { EntityMapping } from '../rules/rule.js';

/** An alert entity in Sentinel's JSON form (`Entities` column of SecurityAlert): `Type` plus identifiers. */
export type AlertEntity = { Type: string } & Record<string, string>;

/** The `Type` Sentinel writes for each mapped entity type. */
export const ENTITY_JSON_TYPE: Record<string, string> = {
  Account: 'account', Host: 'host', IP: 'ip', URL: 'url', AzureResource: 'azure-resource',
  CloudApplication: 'cloud-application', DNS: 'dns', File: 'file', FileHash: 'filehash', Malware: 'malware',
  Process: 'process', RegistryKey: 'registry-key', RegistryValue: 'registry-value', SecurityGroup: 'security-group',
  Mailbox: 'mailbox', MailCluster: 'mail-cluster', MailMessage: 'mail-message', SubmissionMail: 'SubmissionMail',
  IoTDevice: 'iotdevice', SentinelEntities: 'sentinel-entities',
};

/** Generic account names Sentinel drops when an Account is identified by Name alone. */
const BUILT_IN_ACCOUNTS = new Set(['ADMIN', 'ADMINISTRATOR', 'SYSTEM', 'ROOT', 'ANONYMOUS', 'AUTHENTICATED USER', 'NETWORK', 'NULL', 'LOCAL SYSTEM', 'LOCALSYSTEM', 'NETWORK SERVICE']);

/** Sentinel caps the entities of one alert; beyond this they are left out. */
export const MAX_ENTITIES_PER_ALERT = 500;

/** Text of a result value for an entity identifier ('' for null/empty). */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).trim();
}

/**
 * The entities one result row yields: one per mapping whose columns are not all empty.
 * `FullName` is split as Sentinel does: an account `DOMAIN\user` into NTDomain + Name,
 * `user@suffix` into Name + UPNSuffix; a host `name.dns.domain` into HostName + DnsDomain.
 */
export function rowEntities(mappings: readonly EntityMapping[], row: Readonly<Record<string, unknown>>): AlertEntity[] {
  const out: AlertEntity[] = [];
  for (const m of mappings) {
    const ids: Record<string, string> = {};
    for (const f of m.fieldMappings) {
      const value = text(row[f.columnName]);
      if (value) Object.assign(ids, expandIdentifier(m.entityType, f.identifier, value));
    }
    if (!Object.keys(ids).length) continue;
    if (m.entityType === 'Account' && Object.keys(ids).every((k) => k === 'Name') && BUILT_IN_ACCOUNTS.has(ids['Name']!.toUpperCase())) continue;
    out.push({ Type: ENTITY_JSON_TYPE[m.entityType] ?? m.entityType.toLowerCase(), ...ids });
  }
  return out;
}

function expandIdentifier(entityType: string, identifier: string, value: string): Record<string, string> {
  if (identifier !== 'FullName') return { [identifier]: value };
  if (entityType === 'Account') {
    const backslash = value.indexOf('\\');
    if (backslash > 0) return { Name: value.slice(backslash + 1), NTDomain: value.slice(0, backslash) };
    const at = value.lastIndexOf('@');
    if (at > 0) return { Name: value.slice(0, at), UPNSuffix: value.slice(at + 1) };
    return { Name: value };
  }
  if (entityType === 'Host') {
    const dot = value.indexOf('.');
    // An IP address is not a host name with a domain.
    if (dot > 0 && !/^\d+(\.\d+){3}$/.test(value)) return { HostName: value.slice(0, dot), DnsDomain: value.slice(dot + 1) };
    return { HostName: value };
  }
  return { [identifier]: value };
}

/** A stable identity of an entity: its type and identifiers, case-insensitive. */
export function entityKey(e: AlertEntity): string {
  return JSON.stringify(Object.keys(e).sort().map((k) => [k, e[k]!.toLowerCase()]));
}

/** Entities of several rows, each once, up to the per-alert cap. */
export function mergeEntities(lists: Iterable<AlertEntity[]>): AlertEntity[] {
  const seen = new Map<string, AlertEntity>();
  for (const list of lists) {
    for (const e of list) {
      if (seen.size >= MAX_ENTITIES_PER_ALERT) return [...seen.values()];
      const k = entityKey(e);
      if (!seen.has(k)) seen.set(k, e);
    }
  }
  return [...seen.values()];
}
