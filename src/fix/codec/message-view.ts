// A parsed FIX message as offsets into the bytes it came from. The parser fills the typed arrays in one scan;
// values are decoded only when asked for. One view is reused for every message a parser reads, so it is valid
// until the next parse: call detach() to keep a message (for example to queue it until a gap is filled).

import type { MessageDef } from '../dictionary/model.js';
import { Section } from '../dictionary/model.js';
import type { StringInterner } from './string-interner.js';
import {
  readInt,
  readScaled,
  readUtcDate,
  readUtcTimestamp,
} from './read-values.js';
import { grownArray } from '../../shared/growth.js';

/** Tags below this are found through a direct-indexed table; larger (user-defined) tags by a short scan. */
export const LOOKUP_SIZE = 2048;
const INITIAL_FIELDS = 64;
const INITIAL_INSTANCES = 16;
const EMPTY = Buffer.alloc(0);

/** Node's Buffer has a fast latin1 decoder that skips argument normalisation. */
interface Latin1Decoder {
  latin1Slice(start: number, end: number): string;
}

export class FixMessageView {
  /** The bytes the offsets refer to. */
  buffer: Buffer = EMPTY;
  /** Offset of the first byte ("8=") of the message in `buffer`. */
  start = 0;
  /** Offset one past the SOH that ends the CheckSum field. */
  end = 0;
  /** Number of fields, in wire order, groups included. */
  fieldCount = 0;
  /** MsgType(35) value; interned for types the dictionary knows, so it costs nothing per message. */
  msgType = '';
  /** The dictionary's definition of this MsgType, when known. */
  messageDef: MessageDef | undefined = undefined;

  // ---- filled by the parser (internal; read through the accessors below) ----
  /** @internal */ tags: Int32Array = new Int32Array(INITIAL_FIELDS);
  /** @internal */ valueStarts: Int32Array = new Int32Array(INITIAL_FIELDS);
  /** @internal */ valueEnds: Int32Array = new Int32Array(INITIAL_FIELDS);
  /**
   * @internal Per field, packed so the parser stores one number: bit 0 = repeats an earlier top-level tag,
   * bits 1-2 = section of a top-level field, bit 3 = opens a group, bits 4+ = owning group instance + 1
   * (0 for top-level fields).
   */
  info: Int32Array = new Int32Array(INITIAL_FIELDS);
  /** @internal for a field with the opens-a-group bit: number of instances that followed it */
  groupSizes: Int32Array = new Int32Array(INITIAL_FIELDS);
  /** @internal for a field with the opens-a-group bit: its first instance (-1 when none) */
  groupFirstInstance: Int32Array = new Int32Array(INITIAL_FIELDS);
  /** @internal */ instanceCount = 0;
  /** @internal field index of the count field that opened each instance */
  instanceCountField: Int32Array = new Int32Array(INITIAL_INSTANCES);
  /** @internal enclosing instance, -1 when the group is top-level */
  instanceParent: Int32Array = new Int32Array(INITIAL_INSTANCES);
  /** @internal next instance of the same group, -1 for the last */
  instanceNext: Int32Array = new Int32Array(INITIAL_INSTANCES);
  /** @internal field index of an instance's first field */
  instanceFirst: Int32Array = new Int32Array(INITIAL_INSTANCES);
  /** @internal one past the field index of its last field (nested groups included) */
  instanceEnd: Int32Array = new Int32Array(INITIAL_INSTANCES);
  /** Number of top-level fields that repeat an earlier tag. */
  repeatCount = 0;
  /** True when a header tag came after a body/trailer tag, or a body tag after a trailer tag. */
  outOfOrder = false;
  /** The first tag found out of order (QuickFIX's RefTagID for reason 14). */
  outOfOrderTag = 0;

  /** Declared BodyLength(9) and the length actually counted; set by the parser for diagnostics. */
  declaredBodyLength = 0;
  actualBodyLength = 0;
  /** Declared CheckSum(10) and the one computed; set by the parser for diagnostics. */
  declaredCheckSum = 0;
  actualCheckSum = 0;

  /** @internal direct tag index: slotGen[tag] === generation means slotIndex[tag] is valid */
  slotGen: Int32Array | undefined;
  /** @internal */ slotIndex: Int32Array | undefined;
  /** @internal */ generation = 0;

  constructor(withLookupTable = true) {
    if (withLookupTable) {
      this.slotGen = new Int32Array(LOOKUP_SIZE);
      this.slotIndex = new Int32Array(LOOKUP_SIZE);
    }
  }

  // ------------------------------------------------------------------ parser interface

  /** @internal Starts a new message; invalidates everything read before. */
  begin(buffer: Buffer, start: number, end: number): void {
    this.buffer = buffer;
    this.start = start;
    this.end = end;
    this.fieldCount = 0;
    this.instanceCount = 0;
    this.repeatCount = 0;
    this.outOfOrder = false;
    this.outOfOrderTag = 0;
    this.msgType = '';
    this.messageDef = undefined;
    if (this.slotGen !== undefined) {
      this.generation++;
      if (this.generation === 0x7fffffff) {
        this.slotGen.fill(0);
        this.generation = 1;
      }
    }
  }

  /** @internal Ensures room for field index i. */
  reserveField(i: number): void {
    if (i < this.tags.length) return;
    const n = this.tags.length * 2;
    this.tags = grownArray(this.tags, n);
    this.valueStarts = grownArray(this.valueStarts, n);
    this.valueEnds = grownArray(this.valueEnds, n);
    this.info = grownArray(this.info, n);
    this.groupSizes = grownArray(this.groupSizes, n);
    this.groupFirstInstance = grownArray(this.groupFirstInstance, n);
  }

  /** @internal Ensures room for instance k. */
  reserveInstance(k: number): void {
    if (k < this.instanceCountField.length) return;
    const n = this.instanceCountField.length * 2;
    this.instanceCountField = grownArray(this.instanceCountField, n);
    this.instanceParent = grownArray(this.instanceParent, n);
    this.instanceNext = grownArray(this.instanceNext, n);
    this.instanceFirst = grownArray(this.instanceFirst, n);
    this.instanceEnd = grownArray(this.instanceEnd, n);
  }

  /**
   * @internal Repeat check for a top-level tag outside the direct index (large tags, detached views):
   * 1 when an earlier top-level field has the same tag, else 0.
   */
  repeatBitByScan(i: number, tag: number): number {
    for (let j = i - 1; j >= 0; j--) {
      if (this.tags[j] === tag && this.info[j]! < 16) {
        this.repeatCount++;
        return 1;
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ field access by position

  tagAt(i: number): number {
    return this.tags[i]!;
  }

  valueStartAt(i: number): number {
    return this.valueStarts[i]!;
  }

  valueEndAt(i: number): number {
    return this.valueEnds[i]!;
  }

  /** Offset of the first byte of field i's tag. */
  fieldStartAt(i: number): number {
    return i === 0 ? this.start : this.valueEnds[i - 1]! + 1;
  }

  /** Offset one past field i's terminating SOH. */
  fieldEndAt(i: number): number {
    return this.valueEnds[i]! + 1;
  }

  /** Group instance that owns field i, or -1 for a top-level field. */
  ownerAt(i: number): number {
    return (this.info[i]! >> 4) - 1;
  }

  /** Header (0), body (1) or trailer (2) for a top-level field. */
  sectionAt(i: number): number {
    const info = this.info[i]!;
    return info < 16 ? (info >> 1) & 3 : Section.Body;
  }

  /** True when field i repeats a top-level tag seen earlier in the message. */
  isRepeatAt(i: number): boolean {
    const info = this.info[i]!;
    return info < 16 && (info & 1) === 1;
  }

  valueLengthAt(i: number): number {
    return this.valueEnds[i]! - this.valueStarts[i]!;
  }

  stringAt(i: number): string {
    return (this.buffer as unknown as Latin1Decoder).latin1Slice(this.valueStarts[i]!, this.valueEnds[i]!);
  }

  /** Integer value; NaN when malformed (see lastReadError()). */
  intAt(i: number): number {
    return readInt(this.buffer, this.valueStarts[i]!, this.valueEnds[i]!);
  }

  /** Decimal value scaled by 10^decimals; NaN when malformed, inexact at that scale, or too large. */
  scaledAt(i: number, decimals: number): number {
    return readScaled(this.buffer, this.valueStarts[i]!, this.valueEnds[i]!, decimals);
  }

  /** Single-character value; null when the value is not exactly one character. */
  charAt(i: number): string | null {
    const s = this.valueStarts[i]!;
    if (this.valueEnds[i]! - s !== 1) return null;
    return String.fromCharCode(this.buffer[s]!);
  }

  /** Y/N value; null when it is anything else. */
  booleanAt(i: number): boolean | null {
    const s = this.valueStarts[i]!;
    if (this.valueEnds[i]! - s !== 1) return null;
    const c = this.buffer[s];
    return c === 0x59 ? true : c === 0x4e ? false : null;
  }

  /** UTCTimestamp as epoch milliseconds; NaN when malformed. */
  timestampAt(i: number): number {
    return readUtcTimestamp(this.buffer, this.valueStarts[i]!, this.valueEnds[i]!);
  }

  /** UTCDateOnly as epoch milliseconds at midnight UTC; NaN when malformed. */
  dateAt(i: number): number {
    return readUtcDate(this.buffer, this.valueStarts[i]!, this.valueEnds[i]!);
  }

  /** True when field i's value is exactly the given ASCII text (no string is built). */
  valueEqualsAt(i: number, ascii: string): boolean {
    const s = this.valueStarts[i]!;
    const len = ascii.length;
    if (this.valueEnds[i]! - s !== len) return false;
    const buf = this.buffer;
    for (let k = 0; k < len; k++) if (buf[s + k] !== ascii.charCodeAt(k)) return false;
    return true;
  }

  // ------------------------------------------------------------------ top-level field access by tag

  /** Index of the first top-level field with this tag, or -1. */
  indexOf(tag: number): number {
    const gen = this.slotGen;
    if (gen !== undefined && tag >= 0 && tag < LOOKUP_SIZE) {
      return gen[tag] === this.generation ? this.slotIndex![tag]! : -1;
    }
    const tags = this.tags;
    const info = this.info;
    for (let i = 0; i < this.fieldCount; i++) if (tags[i] === tag && info[i]! < 16) return i;
    return -1;
  }

  has(tag: number): boolean {
    return this.indexOf(tag) >= 0;
  }

  getString(tag: number): string | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.stringAt(i);
  }

  /** The value as the interner's held string when it holds it (no decoding), else decoded; undefined when absent. */
  getInterned(tag: number, interner: StringInterner): string | undefined {
    const i = this.indexOf(tag);
    if (i < 0) return undefined;
    return interner.find(this.buffer, this.valueStarts[i]!, this.valueEnds[i]!) ?? this.stringAt(i);
  }

  /** undefined when absent, NaN when malformed. */
  getInt(tag: number): number | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.intAt(i);
  }

  /** undefined when absent; NaN when malformed, inexact at this scale or too large (see lastReadError()). */
  getScaled(tag: number, decimals: number): number | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.scaledAt(i, decimals);
  }

  /** undefined when absent, null when not exactly one character. */
  getChar(tag: number): string | null | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.charAt(i);
  }

  /** undefined when absent, null when not Y or N. */
  getBoolean(tag: number): boolean | null | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.booleanAt(i);
  }

  /** Epoch milliseconds; undefined when absent, NaN when malformed. */
  getTimestamp(tag: number): number | undefined {
    const i = this.indexOf(tag);
    return i < 0 ? undefined : this.timestampAt(i);
  }

  /** True when the tag is present at the top level with exactly this ASCII value. */
  valueEquals(tag: number, ascii: string): boolean {
    const i = this.indexOf(tag);
    return i >= 0 && this.valueEqualsAt(i, ascii);
  }

  // ------------------------------------------------------------------ repeating groups

  /**
   * Field index of a group's count field: at the top level (within = -1) or directly inside group
   * instance `within`. -1 when absent.
   */
  groupField(countTag: number, within = -1): number {
    if (within < 0) {
      const i = this.indexOf(countTag);
      return i >= 0 && (this.info[i]! & 8) !== 0 ? i : -1;
    }
    return this.indexIn(within, countTag);
  }

  /** Number of instances actually present for a group (not the declared count); 0 when absent. */
  groupSize(countTag: number, within = -1): number {
    const f = this.groupField(countTag, within);
    return f < 0 ? 0 : Math.max(0, this.groupSizeAt(f));
  }

  /** Instance id of the n-th (0-based) instance of a group, or -1. */
  groupInstance(countTag: number, n: number, within = -1): number {
    const f = this.groupField(countTag, within);
    return f < 0 ? -1 : this.instanceOfField(f, n);
  }

  /** Instance id of the n-th instance that follows count field f, or -1. */
  instanceOfField(f: number, n: number): number {
    if (this.groupSizeAt(f) <= n || n < 0) return -1;
    let k = this.groupFirstInstance[f]!;
    for (let j = 0; j < n && k >= 0; j++) k = this.instanceNext[k]!;
    return k;
  }

  /** Instances recorded after count field f (-1 when f is not a group count field). */
  groupSizeAt(f: number): number {
    return (this.info[f]! & 8) !== 0 ? this.groupSizes[f]! : -1;
  }

  /** Field index of `tag` directly inside instance `inst` (nested groups' fields excluded), or -1. */
  indexIn(inst: number, tag: number): number {
    const end = this.instanceEnd[inst]!;
    const tags = this.tags;
    const info = this.info;
    const packed = (inst + 1) << 4;
    for (let i = this.instanceFirst[inst]!; i < end; i++) if (tags[i] === tag && (info[i]! & ~15) === packed) return i;
    return -1;
  }

  /** Field range [first, end) an instance covers, nested groups included. */
  instanceFirstField(inst: number): number {
    return this.instanceFirst[inst]!;
  }

  instanceEndField(inst: number): number {
    return this.instanceEnd[inst]!;
  }

  /** Field index of the count field that opened this instance. */
  instanceGroupField(inst: number): number {
    return this.instanceCountField[inst]!;
  }

  /** Enclosing instance of an instance, -1 for a top-level group. */
  instanceParentOf(inst: number): number {
    return this.instanceParent[inst]!;
  }

  getStringIn(inst: number, tag: number): string | undefined {
    const i = this.indexIn(inst, tag);
    return i < 0 ? undefined : this.stringAt(i);
  }

  getIntIn(inst: number, tag: number): number | undefined {
    const i = this.indexIn(inst, tag);
    return i < 0 ? undefined : this.intAt(i);
  }

  getScaledIn(inst: number, tag: number, decimals: number): number | undefined {
    const i = this.indexIn(inst, tag);
    return i < 0 ? undefined : this.scaledAt(i, decimals);
  }

  getCharIn(inst: number, tag: number): string | null | undefined {
    const i = this.indexIn(inst, tag);
    return i < 0 ? undefined : this.charAt(i);
  }

  // ------------------------------------------------------------------ whole message

  /** The message's bytes (a view into the parsed buffer, not a copy). */
  raw(): Buffer {
    return this.buffer.subarray(this.start, this.end);
  }

  /** Message length in bytes. */
  get length(): number {
    return this.end - this.start;
  }

  /**
   * An independent copy that stays valid after the next parse: bytes and offsets are copied (offsets
   * rebased to the copy). Tag lookups on the copy scan its fields instead of using the shared index.
   */
  detach(): FixMessageView {
    const copy = new FixMessageView(false);
    const bytes = Buffer.allocUnsafe(this.end - this.start);
    this.buffer.copy(bytes, 0, this.start, this.end);
    const n = Math.max(1, this.fieldCount);
    const shift = this.start;
    copy.buffer = bytes;
    copy.start = 0;
    copy.end = bytes.length;
    copy.fieldCount = this.fieldCount;
    copy.msgType = this.msgType;
    copy.messageDef = this.messageDef;
    copy.tags = this.tags.slice(0, n);
    copy.valueStarts = this.valueStarts.slice(0, n).map((v) => v - shift);
    copy.valueEnds = this.valueEnds.slice(0, n).map((v) => v - shift);
    copy.info = this.info.slice(0, n);
    copy.groupSizes = this.groupSizes.slice(0, n);
    copy.groupFirstInstance = this.groupFirstInstance.slice(0, n);
    const k = Math.max(1, this.instanceCount);
    copy.instanceCount = this.instanceCount;
    copy.instanceCountField = this.instanceCountField.slice(0, k);
    copy.instanceParent = this.instanceParent.slice(0, k);
    copy.instanceNext = this.instanceNext.slice(0, k);
    copy.instanceFirst = this.instanceFirst.slice(0, k);
    copy.instanceEnd = this.instanceEnd.slice(0, k);
    copy.repeatCount = this.repeatCount;
    copy.outOfOrder = this.outOfOrder;
    copy.outOfOrderTag = this.outOfOrderTag;
    copy.declaredBodyLength = this.declaredBodyLength;
    copy.actualBodyLength = this.actualBodyLength;
    copy.declaredCheckSum = this.declaredCheckSum;
    copy.actualCheckSum = this.actualCheckSum;
    return copy;
  }

  /** Human-readable form with SOH shown as '|', for logs and test failures. */
  toString(): string {
    return this.buffer.toString('latin1', this.start, this.end).replace(/\x01/g, '|');
  }
}
