/**
 * Registers every built-in format. A new format module adds one line here (EVTX and OTRF
 * JSON register from their own modules the same way).
 */
import { registerFormat } from '../registry.js';
import { csvFormat } from './csv.js';
import { evtxFormat } from './evtx/reader.js';
import { jsonFormat, ndjsonFormat } from './json.js';
import { otrfFormat } from './otrf.js';
import { suricataFormat } from './suricata.js';
import { cefFormat, leefFormat, syslogFormat } from './syslog-reader.js';
import { zeekFormat } from './zeek.js';

registerFormat(syslogFormat);
registerFormat(cefFormat);
registerFormat(leefFormat);
registerFormat(zeekFormat);
registerFormat(suricataFormat);
registerFormat(ndjsonFormat);
registerFormat(jsonFormat);
registerFormat(csvFormat);
registerFormat(evtxFormat);
registerFormat(otrfFormat);
