/**
 * Sentinel's entity types and the identifiers each may be mapped with (Microsoft Sentinel
 * entity types reference, "Entity types and identifiers"; IoTDevice from its entity schema).
 * Identifier names compare case-insensitively (older rule files write `SID` for Account's `Sid`)
 * and are stored in Sentinel's spelling.
 */
export const ENTITY_IDENTIFIERS: Readonly<Record<string, readonly string[]>> = {
  Account: ['Name', 'FullName', 'NTDomain', 'DnsDomain', 'UPNSuffix', 'Sid', 'AadTenantId', 'AadUserId', 'PUID', 'IsDomainJoined', 'DisplayName', 'ObjectGuid'],
  Host: ['DnsDomain', 'NTDomain', 'HostName', 'FullName', 'NetBiosName', 'AzureID', 'OMSAgentID', 'OSFamily', 'OSVersion', 'IsDomainJoined'],
  IP: ['Address', 'AddressScope'],
  URL: ['Url'],
  AzureResource: ['ResourceId'],
  CloudApplication: ['AppId', 'Name', 'InstanceName'],
  // DnsServerIp and HostIpAddress are the DNS entity's IP attributes; older rules map them directly.
  DNS: ['DomainName', 'DnsServerIp', 'HostIpAddress'],
  File: ['Directory', 'Name'],
  FileHash: ['Algorithm', 'Value'],
  Malware: ['Name', 'Category'],
  Process: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'],
  RegistryKey: ['Hive', 'Key'],
  RegistryValue: ['Name', 'Value', 'ValueType'],
  SecurityGroup: ['DistinguishedName', 'SID', 'ObjectGuid'],
  Mailbox: ['MailboxPrimaryAddress', 'DisplayName', 'Upn', 'ExternalDirectoryObjectId', 'RiskLevel'],
  MailCluster: ['NetworkMessageIds', 'CountByDeliveryStatus', 'CountByThreatType', 'CountByProtectionStatus', 'Threats', 'Query', 'QueryTime', 'MailCount', 'IsVolumeAnomaly', 'Source', 'ClusterSourceIdentifier', 'ClusterSourceType', 'ClusterQueryStartTime', 'ClusterQueryEndTime', 'ClusterGroup'],
  MailMessage: ['Recipient', 'Urls', 'Threats', 'Sender', 'P1Sender', 'P1SenderDisplayName', 'P1SenderDomain', 'SenderIP', 'P2Sender', 'P2SenderDisplayName', 'P2SenderDomain', 'ReceivedDate', 'NetworkMessageId', 'InternetMessageId', 'Subject', 'BodyFingerprintBin1', 'BodyFingerprintBin2', 'BodyFingerprintBin3', 'BodyFingerprintBin4', 'BodyFingerprintBin5', 'AntispamDirection', 'DeliveryAction', 'DeliveryLocation', 'Language', 'ThreatDetectionMethods'],
  SubmissionMail: ['NetworkMessageId', 'Timestamp', 'Recipient', 'Sender', 'SenderIp', 'Subject', 'ReportType', 'SubmissionId', 'SubmissionDate', 'Submitter'],
  IoTDevice: ['IoTHub', 'DeviceId', 'DeviceName', 'IoTSecurityAgentId', 'DeviceType', 'Source', 'SourceRef', 'Manufacturer', 'Model', 'OperatingSystem', 'IpAddress', 'MacAddress', 'Protocols', 'SerialNumber'],
  SentinelEntities: ['Entities'],
};

/** Sentinel's spelling of an entity type, or undefined when it is not one. */
export function canonicalEntityType(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(ENTITY_IDENTIFIERS).find((t) => t.toLowerCase() === lower);
}

/** Sentinel's spelling of an identifier of `entityType`, or undefined when the type has no such identifier. */
export function canonicalIdentifier(entityType: string, identifier: string): string | undefined {
  const lower = identifier.toLowerCase();
  return ENTITY_IDENTIFIERS[entityType]?.find((i) => i.toLowerCase() === lower);
}

/** Sentinel's MITRE ATT&CK tactics (the analytics rule `tactics` enum). */
export const TACTICS = [
  'Reconnaissance', 'ResourceDevelopment', 'InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation',
  'DefenseEvasion', 'CredentialAccess', 'Discovery', 'LateralMovement', 'Collection', 'Exfiltration',
  'CommandAndControl', 'Impact', 'PreAttack', 'ImpairProcessControl', 'InhibitResponseFunction',
] as const;
