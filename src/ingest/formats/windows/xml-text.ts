const SPECIAL = /[&<>"]/;

/** Escapes text for XML content, or for a double-quoted attribute value. */
export function escapeXml(text: string, attribute = false): string {
  if (!SPECIAL.test(text)) return text; // most values: nothing to do
  let s = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (attribute) s = s.replace(/"/g, '&quot;');
  return s;
}
