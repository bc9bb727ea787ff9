/**
 * Sysmon (Microsoft-Windows-Sysmon/Operational): the first line of each event's message, which
 * Sentinel's Event.RenderedDescription starts with (`Process Create:`) and which parsers split
 * on ':' to name the event. Sysmon's message is that title followed by one `Name: value` line
 * per EventData field, so it can be rendered exactly without the provider's message DLL.
 */
import type { WindowsEvent } from './event.js';

export const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
export const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';

const TITLES: Record<number, string> = {
  1: 'Process Create',
  2: 'File creation time changed',
  3: 'Network connection detected',
  4: 'Sysmon service state changed',
  5: 'Process terminated',
  6: 'Driver loaded',
  7: 'Image loaded',
  8: 'CreateRemoteThread detected',
  9: 'RawAccessRead detected',
  10: 'Process accessed',
  11: 'File created',
  12: 'Registry object added or deleted',
  13: 'Registry value set',
  14: 'Registry object renamed',
  15: 'File stream created',
  16: 'Sysmon config state changed',
  17: 'Pipe Created',
  18: 'Pipe Connected',
  19: 'WmiEventFilter activity detected',
  20: 'WmiEventConsumer activity detected',
  21: 'WmiEventConsumerToFilter activity detected',
  22: 'Dns query',
  23: 'File Delete archived',
  24: 'Clipboard changed',
  25: 'Process Tampering',
  26: 'File Delete logged',
  27: 'File Block Executable',
  28: 'File Block Shredding',
  29: 'File Executable Detected',
  255: 'Error report',
};

export function isSysmon(event: WindowsEvent): boolean {
  return event.provider === SYSMON_PROVIDER || event.channel === SYSMON_CHANNEL;
}

/** The message Sysmon's manifest renders: `Title:` then `Name: value` per field, CRLF-separated. */
export function renderSysmonMessage(event: WindowsEvent): string {
  const title = TITLES[event.eventId] ?? `Sysmon event ${event.eventId}`;
  return [`${title}:`, ...event.data.map((d) => `${d.name}: ${d.value}`)].join('\r\n');
}
