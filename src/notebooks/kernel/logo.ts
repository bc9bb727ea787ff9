import { deflateSync } from 'node:zlib';

/**
 * Quarry's kernel logo, drawn here rather than shipped as binary files: a dark rounded square
 * with a white ring and tail (a "Q"). Jupyter wants logo-32x32.png and logo-64x64.png, and
 * newer frontends take logo-svg.svg.
 */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1f3a5f"/><circle cx="30" cy="30" r="16" fill="none" stroke="#fff" stroke-width="7"/><path d="M38 38 L52 52" stroke="#f5a623" stroke-width="8" stroke-linecap="round"/></svg>`;

/** Coverage (0–1) of the logo's shapes at a point of the 64×64 design. */
function shade(x: number, y: number): { r: number; g: number; b: number; a: number } {
  const inRect = (() => {
    const r = 12;
    const cx = Math.min(Math.max(x, r), 64 - r);
    const cy = Math.min(Math.max(y, r), 64 - r);
    return Math.hypot(x - cx, y - cy) <= r;
  })();
  if (!inRect) return { r: 0, g: 0, b: 0, a: 0 };
  // The tail: distance to the segment (38,38)–(52,52).
  const t = Math.min(1, Math.max(0, ((x - 38) + (y - 38)) / 28));
  if (Math.hypot(x - (38 + 14 * t), y - (38 + 14 * t)) <= 4) return { r: 0xf5, g: 0xa6, b: 0x23, a: 255 };
  const d = Math.hypot(x - 30, y - 30);
  if (d >= 12.5 && d <= 19.5) return { r: 255, g: 255, b: 255, a: 255 };
  return { r: 0x1f, g: 0x3a, b: 0x5f, a: 255 };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** The logo as an RGBA PNG of `size`×`size` pixels (4×4 supersampled). */
export function logoPng(size: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const scale = 64 / size;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const p = shade((x + (sx + 0.5) / 4) * scale, (y + (sy + 0.5) / 4) * scale);
          r += p.r * p.a; g += p.g * p.a; b += p.b * p.a; a += p.a;
        }
      }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round(a / 16);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
