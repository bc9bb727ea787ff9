/**
 * Punycode (RFC 3492) for Kusto's punycode_* functions, through the `punycode` package: a
 * label's code points to ASCII and back. Domains are converted label by label; only labels that
 * need it get `xn--`. Malformed input gives null, as Kusto does.
 */
import punycode from 'punycode/punycode.js';

/** Encodes one label. */
export function punycodeEncode(input: string): string {
  return punycode.encode(input);
}

/** Decodes one label; malformed input gives null. */
export function punycodeDecode(input: string): string | null {
  try {
    return punycode.decode(input);
  } catch {
    return null;
  }
}

/** punycode_domain_to_string: each `xn--` label decoded (case kept: the package's toUnicode lower-cases). */
export function domainFromPunycode(domain: string): string | null {
  const labels = domain.split('.').map((l) => (/^xn--/i.test(l) ? punycodeDecode(l.slice(4)) : l));
  return labels.some((l) => l === null) ? null : labels.join('.');
}

/** punycode_domain_from_string: labels with non-ASCII characters become `xn--…`. */
export function domainToPunycode(domain: string): string {
  return punycode.toASCII(domain);
}
