/**
 * Syslog over TCP framing (RFC 6587): octet counting (`LEN SP MSG`, which RFC 5425/5426 senders
 * use) or non-transparent framing (a message per line). Each frame decides by its first byte:
 * a digit starts an octet count. A frame longer than `maxFrame` is cut there and reported.
 */
export type Frame = { ok: true; text: string } | { ok: false; raw: string; reason: string };

export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Skipping the rest of an over-long line. */
  private discarding = false;

  constructor(private readonly maxFrame = 64 * 1024) {}

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buf.length === 0) break;
      if (this.discarding) {
        const nl = this.buf.indexOf(10);
        if (nl < 0) { this.buf = Buffer.alloc(0); break; }
        this.buf = this.buf.subarray(nl + 1);
        this.discarding = false;
        continue;
      }
      const first = this.buf[0]!;
      if (first >= 0x30 && first <= 0x39) {
        const sp = this.buf.indexOf(32);
        if (sp < 0) {
          if (this.buf.length > 10) frames.push(this.badCount());
          break;
        }
        const lenText = this.buf.subarray(0, sp).toString('latin1');
        if (!/^[1-9]\d{0,9}$/.test(lenText)) { frames.push(this.badCount()); continue; }
        const len = Number(lenText);
        if (len > this.maxFrame) {
          frames.push({ ok: false, raw: this.buf.subarray(0, Math.min(this.buf.length, 256)).toString('utf8'), reason: `octet-counted frame of ${len} bytes exceeds the ${this.maxFrame}-byte limit` });
          this.discarding = true; // resynchronise at the next newline
          continue;
        }
        if (this.buf.length < sp + 1 + len) break;
        frames.push({ ok: true, text: this.buf.subarray(sp + 1, sp + 1 + len).toString('utf8') });
        this.buf = this.buf.subarray(sp + 1 + len);
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) {
        if (this.buf.length > this.maxFrame) {
          frames.push({ ok: false, raw: this.buf.subarray(0, 256).toString('utf8'), reason: `line longer than ${this.maxFrame} bytes without a newline` });
          this.buf = Buffer.alloc(0);
          this.discarding = true;
        }
        break;
      }
      const line = this.buf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
      this.buf = this.buf.subarray(nl + 1);
      if (line.trim() !== '') frames.push({ ok: true, text: line });
    }
    return frames;
  }

  /** What is left when the connection closes (a last line without newline). */
  end(): Frame[] {
    const rest = this.discarding ? '' : this.buf.toString('utf8').trim();
    this.buf = Buffer.alloc(0);
    return rest ? [{ ok: true, text: rest }] : [];
  }

  private badCount(): Frame {
    const nl = this.buf.indexOf(10);
    const end = nl < 0 ? this.buf.length : nl + 1;
    const raw = this.buf.subarray(0, end).toString('utf8');
    this.buf = this.buf.subarray(end);
    return { ok: false, raw, reason: 'a frame starting with a digit must be octet-counted ("LEN SP MSG")' };
  }
}
