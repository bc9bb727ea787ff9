/**
 * An AWS CloudTrail record (the JSON CloudTrail writes) to a row of Sentinel's AWSCloudTrail
 * table, with the fields mapped as Sentinel's AWS S3 connector maps them: userIdentity and its
 * session context flattened into UserIdentity* / Session* columns, request and response bodies
 * kept as JSON text.
 */
import type { IngestRow } from '../types.js';

export function isCloudTrailRecord(o: Record<string, unknown>): boolean {
  return typeof o['eventSource'] === 'string' && typeof o['eventName'] === 'string' && o['eventVersion'] !== undefined;
}

export function mapCloudTrail(o: Record<string, unknown>): IngestRow {
  const identity = obj(o['userIdentity']);
  const session = obj(identity['sessionContext']);
  const attributes = obj(session['attributes']);
  const issuer = obj(session['sessionIssuer']);
  const tls = obj(o['tlsDetails']);
  return {
    table: 'AWSCloudTrail',
    values: {
      TimeGenerated: str(o['eventTime']) || str(o['@timestamp']) || null,
      EventVersion: str(o['eventVersion']),
      EventSource: str(o['eventSource']),
      EventName: str(o['eventName']),
      EventTypeName: str(o['eventType']),
      Category: str(o['eventCategory']),
      AWSRegion: str(o['awsRegion']),
      SourceIpAddress: str(o['sourceIPAddress']),
      UserAgent: str(o['userAgent']),
      ErrorCode: str(o['errorCode']),
      ErrorMessage: str(o['errorMessage']),
      RequestParameters: json(o['requestParameters']),
      ResponseElements: json(o['responseElements']),
      AdditionalEventData: json(o['additionalEventData']),
      ServiceEventDetails: json(o['serviceEventDetails']),
      Resources: json(o['resources']),
      AwsRequestId: str(o['requestID']),
      AwsEventId: str(o['eventID']),
      SharedEventId: str(o['sharedEventID']),
      APIVersion: str(o['apiVersion']),
      ReadOnly: bool(o['readOnly']),
      ManagementEvent: bool(o['managementEvent']),
      RecipientAccountId: str(o['recipientAccountId']),
      VpcEndpointId: str(o['vpcEndpointId']),
      UserIdentityType: str(identity['type']),
      UserIdentityPrincipalid: str(identity['principalId']),
      UserIdentityArn: str(identity['arn']),
      UserIdentityAccountId: str(identity['accountId']),
      UserIdentityAccessKeyId: str(identity['accessKeyId']),
      UserIdentityUserName: str(identity['userName']),
      UserIdentityInvokedBy: str(identity['invokedBy']),
      SessionMfaAuthenticated: bool(attributes['mfaAuthenticated']),
      SessionCreationDate: str(attributes['creationDate']) || null,
      SessionIssuerType: str(issuer['type']),
      SessionIssuerPrincipalId: str(issuer['principalId']),
      SessionIssuerArn: str(issuer['arn']),
      SessionIssuerAccountId: str(issuer['accountId']),
      SessionIssuerUserName: str(issuer['userName']),
      TlsVersion: str(tls['tlsVersion']),
      CipherSuite: str(tls['cipherSuite']),
      ClientProvidedHostHeader: str(tls['clientProvidedHostHeader']),
    },
  };
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
function json(v: unknown): string {
  return v === undefined || v === null ? '' : JSON.stringify(v);
}
function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}
