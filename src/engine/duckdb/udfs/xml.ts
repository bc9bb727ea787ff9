/**
 * parse_xml: XML text to JSON as the parse_xml docs lay it out: attributes as "@name", text
 * next to attributes or elements as "#text", repeated child elements as arrays, an empty
 * element as null. Parsing and validation are fast-xml-parser's; this module only shapes its
 * output into Kusto's layout. Invalid XML, or XML over 1 MB, is null.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

type Json = string | null | Json[] | { [key: string]: Json };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
});

/** Kusto's layout: an empty element is null; whitespace between child elements is formatting. */
function shape(v: unknown): Json {
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, child] of Object.entries(v)) {
      if (k === '#text') {
        const text = String(child).trim();
        if (text !== '') out[k] = text;
      } else out[k] = shape(child);
    }
    return out;
  }
  return v === '' || v === undefined ? null : String(v);
}

/** parse_xml: JSON text of the document, null when the XML is invalid or over 1 MB. */
export function parseXml(xml: string): string | null {
  if (Buffer.byteLength(xml, 'utf8') > 1_048_576) return null;
  const text = xml.trim();
  if (XMLValidator.validate(text) !== true) return null;
  try {
    return JSON.stringify(shape(parser.parse(text)));
  } catch {
    return null;
  }
}
