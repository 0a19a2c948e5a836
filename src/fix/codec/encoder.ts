// Builds FIX messages into reused buffers. In the default 'sorted' order fields may be added in any order (the
// session layer adds header fields after the application filled the body) and finish() writes them the way
// QuickFIX serialises:
//   8, 9, 35, remaining header tags ascending, body tags ascending (each group's instances right after its
//   count field, members in dictionary order), trailer tags, 10.
// In 'as-added' order finish() writes fields exactly in call order (a caller that orders the header itself).
// Each field is formatted once, when added, into a scratch buffer; finish() only orders and copies bytes,
// computing BodyLength and CheckSum from per-field lengths and byte sums kept at add time.
// Two shapes skip the general ordering: fields added in output order (written in place), and the session's
// usual shape, a body in order followed by its header fields in order (header block, then the body as one copy).

import { SOH } from './ascii.js';
import type { FixMessageView } from './message-view.js';
import { TimestampWriter } from './timestamp-writer.js';
import { FixDictionary, type GroupDef, type MessageDef, Section } from '../dictionary/model.js';
import { grownBuffer } from '../../shared/growth.js';

export type FieldOrder = 'sorted' | 'as-added';

export interface EncoderOptions {
  /** Header/trailer placement and group member order; without it QuickFIX's built-in header list is used. */
  dictionary?: FixDictionary;
  /** 'sorted' (default): QuickFIX's output order. 'as-added': exactly the order fields were added. */
  fieldOrder?: FieldOrder;
  /** Initial size of the output buffer (it grows when needed). */
  initialCapacity?: number;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const MAX_DEPTH = 16;
/** Fields copied with a byte loop below this length; Buffer.copy (memcpy) above it. */
const SHORT_COPY = 24;

export class FixEncoder {
  readonly dictionary: FixDictionary;
  readonly fieldOrder: FieldOrder;

  private scratch: Buffer;
  /** The encoder's own scratch (scratch is the caller's target while a beginInto message fits in it). */
  private ownScratch: Buffer;
  /** Where the current message's room starts in scratch: 0, or the target offset of beginInto. */
  private base = 0;
  /** True while the current message is being written into a caller's target (beginInto). */
  private placed = false;
  /** Where a message that could not stay in its target ended up (see finishInto). */
  finishedElsewhere: Buffer = Buffer.alloc(0);
  /** Records added before markHeaderEnd(); a header field added or removed after it sets headerChanged. */
  private headerEnd = -1;
  /** True when, after markHeaderEnd(), a header field was added or one was removed (the caller then re-sets its own). */
  headerChanged = false;
  private used = 0;
  private out: Buffer;
  private readonly timestamps = new TimestampWriter();
  private beginStringText = '';
  private reserve = 0;
  private messageDef: MessageDef | undefined;
  /** True while every field so far came in output order (and none was removed): finish() needs no copy. */
  private inOrder = true;
  private lastTopKey = Number.NEGATIVE_INFINITY;
  /** Byte sum of all fields added (valid while inOrder or twoRuns). */
  private recordsSum = 0;
  /**
   * True while the fields form two runs: [output order, no header field] then [header fields ascending, top
   * level] starting at record `tailStart` (a body written first, the session header after it).
   */
  private twoRuns = false;
  private tailStart = -1;
  private headerInFirstRun = false;
  /** tagMark[tag & 1023] === mark when the current message may hold the tag: remove()/has() skip the scan if not. */
  private readonly tagMark = new Uint32Array(1024);
  private mark = 1;
  /** Group definition and last member rank per open group (to tell whether members came in order). */
  private readonly openGroupDef: (GroupDef | undefined)[] = new Array<GroupDef | undefined>(MAX_DEPTH).fill(undefined);
  private readonly openLastRank = new Float64Array(MAX_DEPTH);
  private prefix: Buffer = Buffer.alloc(0); // "8=<BeginString>\x01"
  private prefixSum = 0;

  private msgTypeText = '';
  private msgTypeBytes = Buffer.alloc(0);
  private msgTypeSum = 0;

  // One record per field added, in add order.
  private count = 0;
  private recTag: Int32Array = new Int32Array(64);
  private recOffset: Int32Array = new Int32Array(64);
  private recLength: Int32Array = new Int32Array(64);
  private recSum: Int32Array = new Int32Array(64);
  /** Record index of the enclosing group's count field, -1 at the top level. */
  private recParent: Int32Array = new Int32Array(64);
  /** Instance ordinal inside the enclosing group. */
  private recInstance: Int32Array = new Int32Array(64);
  /** For a group count record: one past its last member record, else -1. */
  private recGroupEnd: Int32Array = new Int32Array(64);
  private recRemoved: Uint8Array = new Uint8Array(64);

  // Open groups while adding.
  private readonly openGroup = new Int32Array(MAX_DEPTH);
  private readonly openInstance = new Int32Array(MAX_DEPTH);
  private depth = 0;

  // Ordering workspace: record indices and their sort keys.
  private order: Int32Array = new Int32Array(64);
  private sortKeys: Float64Array = new Float64Array(64);

  constructor(options: EncoderOptions = {}) {
    this.dictionary = options.dictionary ?? FixDictionary.empty();
    this.fieldOrder = options.fieldOrder ?? 'sorted';
    this.scratch = Buffer.allocUnsafe(options.initialCapacity ?? 1024);
    this.ownScratch = this.scratch;
    this.out = Buffer.allocUnsafe(options.initialCapacity ?? 1024);
  }

  /** Starts a new message, discarding anything added before. */
  begin(beginString: string, msgType: string): this {
    this.scratch = this.ownScratch;
    this.base = 0;
    this.placed = false;
    return this.start(beginString, msgType);
  }

  /**
   * Starts a new message written straight into `target` from offset `at` (a message store's staging, so that the
   * message is encoded once, where it is stored and sent from). While it fits before the end of `target` and its
   * fields come in output order it stays there: finishInto() then returns its length. Otherwise it continues in the
   * encoder's own buffers and finishInto() says so. Nothing before `at` is touched.
   */
  beginInto(target: Buffer, at: number, beginString: string, msgType: string): this {
    this.scratch = target;
    this.base = at;
    this.placed = true;
    return this.start(beginString, msgType);
  }

  /** The fields added so far are the header; later header fields (or removals) set headerChanged. */
  markHeaderEnd(): this {
    this.headerEnd = this.count;
    return this;
  }

  private start(beginString: string, msgType: string): this {
    this.headerEnd = -1;
    this.headerChanged = false;
    this.count = 0;
    this.depth = 0;
    this.inOrder = true;
    this.lastTopKey = Number.NEGATIVE_INFINITY;
    this.recordsSum = 0;
    this.twoRuns = false;
    this.tailStart = -1;
    this.headerInFirstRun = false;
    if (this.mark === 0xffffffff) {
      this.tagMark.fill(0);
      this.mark = 1;
    } else {
      this.mark++;
    }
    if (beginString !== this.beginStringText) {
      this.beginStringText = beginString;
      this.prefix = Buffer.from(`8=${beginString}\x01`, 'latin1');
      this.prefixSum = 0;
      for (const b of this.prefix) this.prefixSum += b;
      this.reserve = this.prefix.length + 13; // "8=...|" + "9=" + up to 10 digits + SOH
    }
    if (msgType !== this.msgTypeText) {
      this.msgTypeText = msgType;
      this.msgTypeBytes = Buffer.from(`35=${msgType}\x01`, 'latin1');
      this.msgTypeSum = 0;
      for (const b of this.msgTypeBytes) this.msgTypeSum += b;
      this.messageDef = this.dictionary.message(msgType);
    }
    // Scratch layout: [room for "8=..|9=..|"][35=..|][fields...]. When fields arrive in output order,
    // finish() fills the room and returns the scratch bytes as they are: no second copy.
    this.used = this.base + this.reserve;
    this.ensureScratch(this.msgTypeBytes.length);
    this.used += this.msgTypeBytes.copy(this.scratch, this.used);
    return this;
  }

  get msgType(): string {
    return this.msgTypeText;
  }

  get beginString(): string {
    return this.beginStringText;
  }

  // ------------------------------------------------------------------ field appenders

  /** Text value. Characters above 0xFF are written as UTF-8; an SOH inside the value is a programming error. */
  str(tag: number, value: string): this {
    const len = value.length;
    this.ensureScratch(len * 3 + 16);
    const buf = this.scratch;
    let p = this.startField(tag);
    let sum = 0;
    for (let i = 0; i < len; i++) {
      const c = value.charCodeAt(i);
      if (c > 0xff) return this.strUtf8(tag, value);
      if (c === SOH) throw new RangeError(`value of tag ${tag} contains SOH`);
      buf[p++] = c;
      sum += c;
    }
    return this.endField(p, sum);
  }

  int(tag: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`tag ${tag}: ${value} is not a safe integer`);
    this.ensureScratch(40);
    let p = this.startField(tag);
    const start = p;
    p = writeInteger(this.scratch, p, value);
    return this.endField(p, sumRange(this.scratch, start, p));
  }

  /**
   * A non-negative integer followed by one ASCII character (0: none), e.g. the venue's ExecID "1234B": an id
   * built from numbers without making its string.
   */
  intSuffixed(tag: number, value: number, suffix: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`tag ${tag}: ${value} is not a non-negative safe integer`);
    this.ensureScratch(40);
    let p = this.startField(tag);
    const start = p;
    p = writeInteger(this.scratch, p, value);
    if (suffix !== 0) this.scratch[p++] = suffix;
    return this.endField(p, sumRange(this.scratch, start, p));
  }

  /** Single character (CHAR fields such as Side, OrdType). */
  char(tag: number, value: string): this {
    if (value.length !== 1) throw new RangeError(`tag ${tag}: char value must be one character`);
    const c = value.charCodeAt(0);
    if (c === SOH || c > 0xff) throw new RangeError(`tag ${tag}: invalid char value`);
    this.ensureScratch(16);
    let p = this.startField(tag);
    this.scratch[p++] = c;
    return this.endField(p, c);
  }

  bool(tag: number, value: boolean): this {
    return this.char(tag, value ? 'Y' : 'N');
  }

  /** Exact decimal from a scaled integer: decimal(44, 12345, 2) writes "44=123.45". */
  decimal(tag: number, value: number, decimals: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`tag ${tag}: ${value} is not a safe integer`);
    if (decimals < 0 || decimals > 15) throw new RangeError(`tag ${tag}: decimals must be 0..15`);
    this.ensureScratch(48);
    let p = this.startField(tag);
    const start = p;
    const buf = this.scratch;
    let abs = value;
    if (value < 0) {
      buf[p++] = 0x2d;
      abs = -value;
    }
    if (decimals === 0) {
      p = writeInteger(buf, p, abs);
    } else {
      const scale = POW10[decimals]!;
      let intPart = Math.floor(abs / scale);
      let frac = abs - intPart * scale;
      // Guard the float division at the edges of the safe range.
      if (frac < 0) {
        intPart--;
        frac += scale;
      } else if (frac >= scale) {
        intPart++;
        frac -= scale;
      }
      p = writeInteger(buf, p, intPart);
      buf[p++] = 0x2e;
      for (let d = decimals - 1; d >= 0; d--) {
        buf[p + d] = 48 + (frac % 10);
        frac = Math.floor(frac / 10);
      }
      p += decimals;
    }
    return this.endField(p, sumRange(buf, start, p));
  }

  /** UTCTimestamp from epoch milliseconds: "YYYYMMDD-HH:MM:SS.sss" (precision 3) or without millis (0). */
  timestamp(tag: number, epochMs: number, precision: 0 | 3 = 3): this {
    this.ensureScratch(48);
    let p = this.startField(tag);
    const start = p;
    p += this.timestamps.write(this.scratch, p, epochMs, precision);
    return this.endField(p, sumRange(this.scratch, start, p));
  }

  /** Value bytes copied as they are (re-encoding a received field byte-for-byte, or DATA fields). */
  bytes(tag: number, src: Uint8Array, start: number, end: number): this {
    this.ensureScratch(end - start + 16);
    let p = this.startField(tag);
    const buf = this.scratch;
    let sum = 0;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      buf[p++] = c;
      sum += c;
    }
    return this.endField(p, sum);
  }

  /**
   * Already-encoded fields ("tag=value\x01..."), e.g. a stored message body, copied verbatim. Each field
   * becomes its own entry so 'sorted' order can place it; values must not contain SOH (no DATA fields).
   */
  rawFields(src: Uint8Array, start: number, end: number): this {
    let p = start;
    while (p < end) {
      let tag = 0;
      let q = p;
      let negative = false;
      if (src[q] === 0x2d) {
        negative = true;
        q++;
      }
      while (q < end && src[q]! >= 48 && src[q]! <= 57) tag = tag * 10 + (src[q++]! - 48);
      if (q >= end || src[q] !== 0x3d) throw new RangeError('rawFields: not "tag=value" fields');
      let e = q + 1;
      while (e < end && src[e] !== SOH) e++;
      this.bytes(negative ? -tag : tag, src, q + 1, e);
      p = e + 1;
    }
    return this;
  }

  /** Replaces every top-level field with this tag by a new text value (session layer header fields). */
  setStr(tag: number, value: string): this {
    return this.remove(tag).str(tag, value);
  }

  setInt(tag: number, value: number): this {
    return this.remove(tag).int(tag, value);
  }

  setTimestamp(tag: number, epochMs: number, precision: 0 | 3 = 3): this {
    return this.remove(tag).timestamp(tag, epochMs, precision);
  }

  /** Removes top-level fields with this tag (no effect when absent). */
  remove(tag: number): this {
    if (this.tagMark[tag & 1023] !== this.mark) return this;
    for (let r = 0; r < this.count; r++) {
      if (this.recTag[r] === tag && this.recParent[r] === -1) {
        this.recRemoved[r] = 1;
        this.inOrder = false;
        this.twoRuns = false;
        if (this.headerEnd >= 0) this.headerChanged = true;
      }
    }
    return this;
  }

  /**
   * Whether the encoder's dictionary allows the tag at the top level of the current message type (true when the
   * dictionary does not define the type). For optional fields a counterparty's dictionary may not have: a strict
   * engine rejects a message carrying a tag its dictionary does not define for that type (373=2).
   */
  allows(tag: number): boolean {
    return this.messageDef === undefined || this.messageDef.allows(tag) || this.dictionary.isHeaderTag(tag);
  }

  /** True when a top-level field with this tag has been added. */
  has(tag: number): boolean {
    if (this.tagMark[tag & 1023] !== this.mark) return false;
    for (let r = 0; r < this.count; r++) {
      if (this.recTag[r] === tag && this.recParent[r] === -1 && this.recRemoved[r] === 0) return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ repeating groups

  /**
   * Opens a repeating group: writes its count field now; then call instance() before each instance's
   * fields and endGroup() after the last one. Groups nest.
   */
  group(countTag: number, count: number): this {
    if (this.depth >= MAX_DEPTH) throw new RangeError('groups nested too deeply');
    this.int(countTag, count);
    this.openGroupAt(this.count - 1);
    return this;
  }

  /** Record r (a count field just added) opens a group: later fields are its members. */
  private openGroupAt(r: number): void {
    const tag = this.recTag[r]!;
    const depth = this.depth;
    let def: GroupDef | undefined;
    if (depth > 0) def = this.openGroupDef[depth - 1]?.nested(tag);
    else if (this.dictionary.sectionOf(tag) === Section.Header) def = this.dictionary.headerGroup(tag);
    else def = this.messageDef?.group(tag);
    this.recGroupEnd[r] = r + 1;
    this.openGroup[depth] = r;
    this.openInstance[depth] = -1;
    this.openGroupDef[depth] = def;
    this.openLastRank[depth] = Number.NEGATIVE_INFINITY;
    this.depth = depth + 1;
  }

  /** Starts the next instance of the innermost open group. */
  instance(): this {
    if (this.depth === 0) throw new RangeError('instance() outside a group');
    this.openInstance[this.depth - 1]!++;
    this.openLastRank[this.depth - 1] = Number.NEGATIVE_INFINITY;
    return this;
  }

  endGroup(): this {
    if (this.depth === 0) throw new RangeError('endGroup() without group()');
    this.depth--;
    this.recGroupEnd[this.openGroup[this.depth]!] = this.count;
    return this;
  }

  // ------------------------------------------------------------------ copying from a parsed message

  /**
   * Adds the body of a parsed message, values byte-for-byte (QuickFIX echoes 38=002000.00 unchanged),
   * groups included. Header and trailer fields are not copied. `skip` marks top-level tags to leave out.
   */
  copyBody(view: FixMessageView, skip?: (tag: number) => boolean): this {
    const n = view.fieldCount;
    for (let i = 0; i < n; i++) {
      if (view.ownerAt(i) !== -1 || view.sectionAt(i) !== Section.Body) continue;
      const tag = view.tagAt(i);
      if (skip !== undefined && skip(tag)) continue;
      this.copyField(view, i);
    }
    return this;
  }

  /** Adds field i of a parsed message (and, for a group count field, all its instances). */
  copyField(view: FixMessageView, i: number): this {
    const size = view.groupSizeAt(i);
    if (size < 0) return this.bytes(view.tagAt(i), view.buffer, view.valueStartAt(i), view.valueEndAt(i));
    // A count field: keep its text as received, then its instances as parsed.
    this.bytes(view.tagAt(i), view.buffer, view.valueStartAt(i), view.valueEndAt(i));
    this.openGroupAt(this.count - 1);
    for (let k = 0; k < size; k++) {
      const inst = view.instanceOfField(i, k);
      this.instance();
      const end = view.instanceEndField(inst);
      for (let j = view.instanceFirstField(inst); j < end; j++) {
        if (view.ownerAt(j) === inst) this.copyField(view, j);
      }
    }
    return this.endGroup();
  }

  // ------------------------------------------------------------------ output

  /**
   * Writes the message and returns it as a view of the encoder's output buffer, valid until the next
   * begin() or finish(); use Buffer.from(result) to keep a copy (e.g. for the message store).
   */
  finish(): Buffer {
    if (this.depth !== 0) throw new RangeError('finish() with an open group');
    if (this.inOrder) {
      const start = this.writeInPlace();
      return this.scratch.subarray(start, this.used + 7);
    }
    if (this.twoRuns) return this.finishTwoRuns();
    return this.finishSorted();
  }

  /**
   * Finishes a message begun with beginInto(): returns its length when it sits in the target at the offset given
   * there, or -1 when it had to be built elsewhere (it outgrew the target, or its fields needed reordering); it is
   * then in `finishedElsewhere` (valid until the next message), for the caller to copy.
   */
  finishInto(): number {
    if (this.depth !== 0) throw new RangeError('finish() with an open group');
    if (this.placed && this.inOrder) {
      const start = this.writeInPlace();
      const end = this.used + 7;
      // Close the gap the BodyLength digits did not need: the message starts exactly where the caller asked.
      if (start > this.base) this.scratch.copyWithin(this.base, start, end);
      return end - start;
    }
    this.finishedElsewhere = this.finish();
    return -1;
  }

  private finishSorted(): Buffer {
    const dict = this.dictionary;
    this.orderTop = 0;
    // Split top-level records by section; header/body ascending by tag (stable), trailer 10 last.
    let headerCount = 0;
    let bodyLength = this.msgTypeBytes.length;
    let sum = 0;
    const n = this.count;
    if (this.order.length < n) this.order = new Int32Array(Math.max(n, this.order.length * 2));
    const order = this.order;
    let topCount = 0;
    for (let r = 0; r < n; r++) {
      if (this.recRemoved[r] === 1) {
        if (this.recGroupEnd[r]! > r) r = this.recGroupEnd[r]! - 1; // a removed group takes its members along
        continue;
      }
      if (this.recParent[r] === -1) {
        const tag = this.recTag[r]!;
        if (tag === 8 || tag === 9 || tag === 10 || tag === 35) continue; // written by the encoder itself
        order[topCount++] = r;
      }
      bodyLength += this.recLength[r]!;
      sum += this.recSum[r]!;
    }
    const sorted = this.fieldOrder === 'sorted';
    if (sorted) {
      // Header first, then body, then trailer; each part ascending by tag, equal tags kept in add order.
      const keys = this.keysFor(topCount);
      for (let k = 0; k < topCount; k++) {
        const tag = this.recTag[order[k]!]!;
        const section = dict.sectionOf(tag);
        if (section === Section.Header) headerCount++;
        // Trailer order is QuickFIX's: 10 last (written separately), other trailer tags ascending.
        keys[k] = sectionRank(section) * 4294967296 + tag;
      }
      sortByKey(order, keys, 0, topCount);
    }

    const out = this.outFor(bodyLength);
    let p = this.writeHead(out, bodyLength);
    sum += this.headSum;
    const msgDef = this.messageDef;
    for (let k = 0; k < topCount; k++) {
      const r = order[k]!;
      const tag = this.recTag[r]!;
      let group: GroupDef | undefined;
      if (sorted && this.recGroupEnd[r]! > r) group = k < headerCount ? dict.headerGroup(tag) : msgDef?.group(tag);
      p = this.writeRecord(out, p, r, group);
    }
    return out.subarray(0, putCheckSum(out, p, sum));
  }

  /**
   * Fields are already in output order in scratch: writes "8=..|9=..|" in front and "10=..|" behind (at used).
   * Returns where the message starts.
   */
  private writeInPlace(): number {
    const room = this.base + this.reserve;
    const bodyLength = this.used - room;
    let digits = 1;
    for (let v = bodyLength; v >= 10; v = (v / 10) | 0) digits++;
    const prefix = this.prefix;
    const start = room - 3 - digits - prefix.length;
    this.ensureScratch(8);
    const buf = this.scratch; // ensureScratch may have moved it
    let p = start;
    for (let i = 0; i < prefix.length; i++) buf[p++] = prefix[i]!;
    buf[p++] = 0x39;
    buf[p++] = 0x3d;
    let sum = this.prefixSum + 0x39 + 0x3d + SOH + this.msgTypeSum + this.recordsSum;
    let v = bodyLength;
    for (let i = digits - 1; i >= 0; i--) {
      const c = 48 + (v % 10);
      buf[p + i] = c;
      sum += c;
      v = (v / 10) | 0;
    }
    p += digits;
    buf[p] = SOH;
    putCheckSum(buf, this.used, sum);
    return start;
  }

  /**
   * Body (and trailer) fields in order, then header fields in order: "8=..|9=..|35=..|", the header run, the
   * body run as one block copy, "10=..|". Lengths and sums are those kept at add time, as in finishInPlace.
   */
  private finishTwoRuns(): Buffer {
    const bodyLength = this.used - this.base - this.reserve;
    const out = this.outFor(bodyLength);
    const scratch = this.scratch;
    let p = this.writeHead(out, bodyLength);
    const sum = this.headSum + this.recordsSum;
    const bodyStart = this.base + this.reserve + this.msgTypeBytes.length;
    const tailStart = this.recOffset[this.tailStart]!;
    p += scratch.copy(out, p, tailStart, this.used);
    p += scratch.copy(out, p, bodyStart, tailStart);
    return out.subarray(0, putCheckSum(out, p, sum));
  }

  // ------------------------------------------------------------------ internals

  /** The output buffer, big enough for a message of this BodyLength. */
  private outFor(bodyLength: number): Buffer {
    const total = this.prefix.length + 13 + bodyLength + 7; // "9=" + up to 10 digits + SOH, body, "10=NNN\x01"
    if (this.out.length < total) this.out = Buffer.allocUnsafe(Math.max(total, this.out.length * 2));
    return this.out;
  }

  /** Byte sum of the head written by writeHead. */
  private headSum = 0;

  /** Writes "8=..|9=<bodyLength>|35=..|" at out[0] and returns its end; its byte sum goes to headSum. */
  private writeHead(out: Buffer, bodyLength: number): number {
    const lengthText = String(bodyLength);
    let p = this.prefix.copy(out, 0);
    let sum = this.prefixSum + 0x39 + 0x3d + SOH + this.msgTypeSum;
    out[p++] = 0x39;
    out[p++] = 0x3d;
    for (let i = 0; i < lengthText.length; i++) {
      const c = lengthText.charCodeAt(i);
      out[p++] = c;
      sum += c;
    }
    out[p++] = SOH;
    this.headSum = sum;
    return p + this.msgTypeBytes.copy(out, p);
  }

  private writeRecord(out: Buffer, p: number, r: number, group: GroupDef | undefined): number {
    const off = this.recOffset[r]!;
    const len = this.recLength[r]!;
    if (len < SHORT_COPY) {
      const src = this.scratch;
      for (let i = 0; i < len; i++) out[p + i] = src[off + i]!;
    } else {
      this.scratch.copy(out, p, off, off + len);
    }
    p += len;
    const end = this.recGroupEnd[r]!;
    if (end <= r) return p;
    // Members of group r, instance by instance, each instance in dictionary order.
    let j = r + 1;
    while (j < end) {
      const inst = this.recInstance[j]!;
      const segmentStart = this.reserveOrder(end - j);
      let m = 0;
      let k = j;
      for (; k < end; k++) {
        if (this.recParent[k] !== r) continue;
        if (this.recInstance[k] !== inst) break;
        if (this.recRemoved[k] === 0) this.order[segmentStart + m++] = k;
      }
      if (group !== undefined) {
        const keys = this.keysFor(segmentStart + m);
        for (let q = segmentStart; q < segmentStart + m; q++) keys[q] = rankOf(group, this.recTag[this.order[q]!]!);
        sortByKey(this.order, keys, segmentStart, segmentStart + m);
      }
      for (let q = 0; q < m; q++) {
        const member = this.order[segmentStart + q]!;
        p = this.writeRecord(out, p, member, group?.nested(this.recTag[member]!));
      }
      this.orderTop = segmentStart;
      j = k;
    }
    return p;
  }

  private keysFor(size: number): Float64Array {
    if (this.sortKeys.length < size) {
      const bigger = new Float64Array(Math.max(size, this.sortKeys.length * 2));
      bigger.set(this.sortKeys);
      this.sortKeys = bigger;
    }
    return this.sortKeys;
  }

  /** Ordering workspace is used as a stack: top-level order first, then one segment per open instance. */
  private orderTop = 0;

  private reserveOrder(size: number): number {
    const start = Math.max(this.orderTop, this.count);
    const needed = start + size;
    if (this.order.length < needed) {
      const bigger = new Int32Array(needed * 2);
      bigger.set(this.order);
      this.order = bigger;
    }
    this.orderTop = needed;
    return start;
  }

  /** Writes "tag=" for record `count` and returns where the value starts. */
  private startField(tag: number): number {
    const r = this.count;
    // Fields the session owns (sequence number, CompIDs, SendingTime, the resend flags) added by the body.
    if (this.headerEnd >= 0 && (tag === 34 || tag === 49 || tag === 52 || tag === 56 || tag === 43 || tag === 122)) this.headerChanged = true;
    if (r >= this.recTag.length) this.growRecords();
    this.recTag[r] = tag;
    this.tagMark[tag & 1023] = this.mark;
    const depth = this.depth;
    this.recParent[r] = depth > 0 ? this.openGroup[depth - 1]! : -1;
    this.recInstance[r] = depth > 0 ? this.openInstance[depth - 1]! : 0;
    this.recGroupEnd[r] = -1;
    this.recRemoved[r] = 0;
    const start = this.used;
    this.recOffset[r] = start;
    const buf = this.scratch;
    let p: number;
    if (tag > 0 && tag < 10000) {
      // common case, unrolled: 1 to 4 digits
      if (tag >= 1000) {
        buf[start] = 48 + ((tag / 1000) | 0);
        buf[start + 1] = 48 + (((tag / 100) | 0) % 10);
        buf[start + 2] = 48 + (((tag / 10) | 0) % 10);
        buf[start + 3] = 48 + (tag % 10);
        p = start + 4;
      } else if (tag >= 100) {
        buf[start] = 48 + ((tag / 100) | 0);
        buf[start + 1] = 48 + (((tag / 10) | 0) % 10);
        buf[start + 2] = 48 + (tag % 10);
        p = start + 3;
      } else if (tag >= 10) {
        buf[start] = 48 + ((tag / 10) | 0);
        buf[start + 1] = 48 + (tag % 10);
        p = start + 2;
      } else {
        buf[start] = 48 + tag;
        p = start + 1;
      }
    } else {
      p = writeInteger(buf, start, tag);
    }
    buf[p] = 0x3d;
    let tagSum = 0x3d;
    for (let i = start; i < p; i++) tagSum += buf[i]!;
    this.pendingTagSum = tagSum;
    return p + 1;
  }

  /** Byte sum of the "tag=" just written by startField. */
  private pendingTagSum = 0;

  private endField(p: number, valueSum: number): this {
    const r = this.count;
    this.scratch[p++] = SOH;
    this.recLength[r] = p - this.recOffset[r]!;
    const sum = this.pendingTagSum + valueSum + SOH;
    this.recSum[r] = sum;
    this.recordsSum += sum;
    this.used = p;
    this.count = r + 1;
    if (this.fieldOrder === 'sorted') {
      if (this.inOrder) this.trackOrder(r);
      else if (this.twoRuns) this.trackTail(r);
    }
    return this;
  }

  /** Clears inOrder when record r does not come after the previous one in QuickFIX's output order. */
  private trackOrder(r: number): void {
    const tag = this.recTag[r]!;
    const depth = this.depth;
    if (depth === 0) {
      if (tag === 8 || tag === 9 || tag === 10 || tag === 35) {
        this.inOrder = false; // finish() writes these itself
        return;
      }
      const section = this.dictionary.sectionOf(tag);
      const key = sectionRank(section) * 4294967296 + tag;
      if (key < this.lastTopKey) {
        this.inOrder = false;
        // A header field after fields that follow the header: the start of a second, header-only run?
        this.twoRuns = section === Section.Header && !this.headerInFirstRun;
        this.tailStart = r;
      } else if (section === Section.Header) {
        this.headerInFirstRun = true;
      }
      this.lastTopKey = key;
      return;
    }
    const def = this.openGroupDef[depth - 1];
    if (def === undefined) return; // unknown group: members keep the order they were added in
    const rank = rankOf(def, tag);
    if (rank < this.openLastRank[depth - 1]!) this.inOrder = false;
    this.openLastRank[depth - 1] = rank;
  }

  /** Keeps twoRuns only while record r continues an ascending run of top-level header fields. */
  private trackTail(r: number): void {
    const tag = this.recTag[r]!;
    const written = tag === 8 || tag === 9 || tag === 35; // finish() writes these itself
    if (written || this.depth !== 0 || this.dictionary.sectionOf(tag) !== Section.Header || tag < this.lastTopKey) {
      this.twoRuns = false;
      return;
    }
    this.lastTopKey = tag;
  }

  private strUtf8(tag: number, value: string): this {
    // Undo the partial ASCII write and encode the whole value as UTF-8.
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.includes(SOH)) throw new RangeError(`value of tag ${tag} contains SOH`);
    return this.bytes(tag, bytes, 0, bytes.length);
  }

  private ensureScratch(extra: number): void {
    if (this.used + extra + 16 <= this.scratch.length) return;
    if (this.placed) return this.leaveTarget(extra);
    this.scratch = grownBuffer(this.scratch, this.used + extra + 16, this.used);
    this.ownScratch = this.scratch;
  }

  /** The message outgrew its target: it continues in the encoder's own scratch, at offset 0 there (rare). */
  private leaveTarget(extra: number): void {
    const shift = this.base;
    const length = this.used - shift;
    if (this.ownScratch.length < length + extra + 16) this.ownScratch = Buffer.allocUnsafe(Math.max((length + extra + 16) * 2, this.ownScratch.length * 2));
    this.scratch.copy(this.ownScratch, 0, shift, this.used);
    for (let r = 0; r < this.count; r++) this.recOffset[r] = this.recOffset[r]! - shift;
    this.scratch = this.ownScratch;
    this.base = 0;
    this.used = length;
    this.placed = false;
  }

  private growRecords(): void {
    const n = this.recTag.length * 2;
    this.recTag = grow32(this.recTag, n);
    this.recOffset = grow32(this.recOffset, n);
    this.recLength = grow32(this.recLength, n);
    this.recSum = grow32(this.recSum, n);
    this.recParent = grow32(this.recParent, n);
    this.recInstance = grow32(this.recInstance, n);
    this.recGroupEnd = grow32(this.recGroupEnd, n);
    const removed = new Uint8Array(n);
    removed.set(this.recRemoved);
    this.recRemoved = removed;
  }
}

/** Writes the trailer "10=NNN\x01" for a byte sum at out[p]; returns the end. */
function putCheckSum(out: Uint8Array, p: number, sum: number): number {
  const checkSum = sum & 0xff;
  out[p] = 0x31;
  out[p + 1] = 0x30;
  out[p + 2] = 0x3d;
  out[p + 3] = 48 + ((checkSum / 100) | 0);
  out[p + 4] = 48 + (((checkSum / 10) | 0) % 10);
  out[p + 5] = 48 + (checkSum % 10);
  out[p + 6] = SOH;
  return p + 7;
}

function sectionRank(section: number): number {
  return section === Section.Header ? 0 : section === Section.Body ? 1 : 2;
}

function rankOf(group: GroupDef, tag: number): number {
  const r = group.memberRank(tag);
  return r === 0 ? 100000 + tag : r; // unknown members after known ones, by tag (QuickFIX's message_order)
}

/** Stable insertion sort of a[from, to) by keys[from, to) (the keys move with the entries). Lists are short. */
function sortByKey(a: Int32Array, keys: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const x = a[i]!;
    const kx = keys[i]!;
    let j = i - 1;
    while (j >= from && keys[j]! > kx) {
      a[j + 1] = a[j]!;
      keys[j + 1] = keys[j]!;
      j--;
    }
    a[j + 1] = x;
    keys[j + 1] = kx;
  }
}

/** Writes a non-negative or negative safe integer as decimal digits; returns the new position. */
function writeInteger(buf: Uint8Array, p: number, value: number): number {
  if (value < 0) {
    buf[p++] = 0x2d;
    value = -value;
  }
  if (value < 10) {
    buf[p] = 48 + value;
    return p + 1;
  }
  if (value < 0x7fffffff) {
    // 31-bit values: integer division by truncation is exact and cheap
    let digits = 1;
    for (let v = value; v >= 10; v = (v / 10) | 0) digits++;
    let v = value;
    for (let i = digits - 1; i >= 0; i--) {
      buf[p + i] = 48 + (v % 10);
      v = (v / 10) | 0;
    }
    return p + digits;
  }
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = digits - 1; i >= 0; i--) {
    buf[p + i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return p + digits;
}

function sumRange(buf: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += buf[i]!;
  return s;
}

function grow32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
