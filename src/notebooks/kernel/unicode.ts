/**
 * Jupyter counts cursor positions in Unicode code points (protocol 5.2+); JavaScript strings
 * count UTF-16 units. These convert between the two.
 */
export function codePointsToUtf16(text: string, cursor: number): number {
  let units = 0;
  let points = 0;
  while (points < cursor && units < text.length) {
    units += text.codePointAt(units)! > 0xffff ? 2 : 1;
    points++;
  }
  return units;
}

export function utf16ToCodePoints(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}
