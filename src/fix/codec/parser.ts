// One scan over a framed message: tags, value offsets, header/body/trailer placement, repeating-group
// instances (by the dictionary's group definitions, the way QuickFIX's Message::setString/setGroup reads
// them), the CheckSum sum and the BodyLength count. Everything lands in a reused FixMessageView.
//
// A frame QuickFIX would refuse to turn into a message (garbled field, first three tags not 8/9/35, wrong
// BodyLength, wrong CheckSum) gets a non-Ok status; the session drops it silently, as QuickFIX does.

import { EQUALS, MINUS, SOH } from './ascii.js';
import { FixMessageView } from './message-view.js';
import { readInt32Wrapping } from './read-values.js';
import { FixDictionary, type GroupDef, Section } from '../dictionary/model.js';

export const ParseStatus = {
  Ok: 0,
  /** A field whose tag is not an integer or has no '=' (QuickFIX: "Field tag is invalid"). */
  GarbledField: 1,
  /** The last field has no terminating SOH. */
  MissingSoh: 2,
  /** A DATA field whose length field is missing, malformed, or runs past the message. */
  BadDataLength: 3,
  /** The first three fields are not BeginString, BodyLength, MsgType. */
  HeaderOutOfOrder: 4,
  /** BodyLength(9) missing or not an integer. */
  BadBodyLength: 5,
  /** BodyLength(9) differs from the bytes between it and CheckSum. */
  BodyLengthMismatch: 6,
  /** CheckSum(10) missing or not an integer. */
  BadCheckSum: 7,
  /** CheckSum(10) differs from the byte sum mod 256. */
  CheckSumMismatch: 8,
  /** No bytes at all. */
  Empty: 9,
} as const;
export type ParseStatusCode = (typeof ParseStatus)[keyof typeof ParseStatus];

const STATUS_TEXT: readonly string[] = [
  'ok',
  'garbled field (tag is not a number or has no =)',
  'SOH not found at end of field',
  'DATA field length missing or invalid',
  'first three fields are not 8, 9, 35',
  'BodyLength missing or not a number',
  'BodyLength does not match the message',
  'CheckSum missing or not a number',
  'CheckSum does not match the message',
  'empty message',
];

export function parseStatusText(status: ParseStatusCode): string {
  return STATUS_TEXT[status] ?? `status ${status}`;
}

export interface ParserOptions {
  /** Dictionary for header/trailer tags, repeating groups and DATA fields; without one, groups are not read. */
  dictionary?: FixDictionary;
  /** QuickFIX ValidateLengthAndChecksum (default true): check 8/9/35 order, BodyLength and CheckSum. */
  validateLengthAndChecksum?: boolean;
}

const HEADER_ORDER = [8, 9, 35];
const MAX_GROUP_DEPTH = 32;
/** QuickFIX's parse-time section state: which part of the message the last top-level field belonged to. */
const IN_HEADER = 0;
const IN_BODY = 1;
const IN_TRAILER = 2;

export class FixParser {
  readonly view: FixMessageView;
  readonly dictionary: FixDictionary;
  private readonly validateLengthAndChecksum: boolean;

  // Open groups, innermost last: definition, count field index, current instance (-1 before the first).
  private readonly stackGroup: (GroupDef | undefined)[] = new Array<GroupDef | undefined>(MAX_GROUP_DEPTH).fill(
    undefined,
  );
  private readonly stackCountField = new Int32Array(MAX_GROUP_DEPTH);
  private readonly stackInstance = new Int32Array(MAX_GROUP_DEPTH);
  private depth = 0;
  /** Per tag: serial of the last group instance that received it (QuickFIX's pGroup->isSetField). */
  private readonly memberStamp: Int32Array;
  /** Per instance of the current message: its serial (unique across messages, so stamps never need clearing). */
  private instanceSerial = new Int32Array(64);
  private serial = 0;

  constructor(options: ParserOptions = {}, view = new FixMessageView()) {
    this.dictionary = options.dictionary ?? FixDictionary.empty();
    this.validateLengthAndChecksum = options.validateLengthAndChecksum ?? true;
    this.view = view;
    this.memberStamp = new Int32Array(this.dictionary.tagSpace);
  }

  /** Parses buf[start, end) into this.view. The view is valid until the next call. */
  parse(buf: Buffer, start = 0, end = buf.length): ParseStatusCode {
    const v = this.view;
    v.begin(buf, start, end);
    if (end <= start) return ParseStatus.Empty;
    const dict = this.dictionary;
    const validate = this.validateLengthAndChecksum;
    this.depth = 0;
    let state = IN_HEADER;
    let p = start;
    let count = 0;
    let checkSum = 0;
    let excludedBytes = 0; // bytes of 8, 9 and 10 fields: QuickFIX's bodyLength() leaves them out
    let bodyLengthField = -1;
    let checkSumField = -1;

    while (p < end) {
      const fieldStart = p;
      // ---- tag: optional '-', digits, '=' (QuickFIX parses it with IntConvertor)
      let c = buf[p]!;
      let sum = 0;
      let negative = false;
      if (c === MINUS) {
        negative = true;
        sum = c;
        p++;
      }
      const digitsStart = p;
      let tag = 0;
      while (p < end) {
        c = buf[p]!;
        const d = c - 48;
        if (d < 0 || d > 9) break;
        tag = (Math.imul(tag, 10) + d) | 0;
        sum += c;
        p++;
      }
      if (p >= end || c !== EQUALS || p === digitsStart) return ParseStatus.GarbledField;
      if (negative) tag = -tag | 0;
      sum += EQUALS;
      p++;
      const valueStart = p;

      v.reserveField(count);
      // Placement comes before the value: a DATA field's length is looked up where the field lands.
      const scope = this.place(v, count, tag, dict);

      // ---- value: up to SOH, or exactly <length> bytes for a DATA field
      let valueEnd: number;
      const lengthTag = dict.dataLengthTag(tag);
      if (lengthTag !== 0) {
        const len = this.dataLength(v, count, lengthTag, scope);
        if (len < 0 || valueStart + len >= end) return ParseStatus.BadDataLength;
        valueEnd = valueStart + len;
        for (let k = valueStart; k <= valueEnd; k++) sum += buf[k]!;
        p = valueEnd + 1;
      } else {
        while (p < end) {
          c = buf[p]!;
          if (c === SOH) break;
          sum += c;
          p++;
        }
        if (p >= end) return ParseStatus.MissingSoh;
        valueEnd = p;
        sum += SOH;
        p++;
      }

      if (count < 3 && validate && tag !== HEADER_ORDER[count]) return ParseStatus.HeaderOutOfOrder;

      v.tags[count] = tag;
      v.valueStarts[count] = valueStart;
      v.valueEnds[count] = valueEnd;

      if (tag === 10) {
        if (checkSumField < 0) checkSumField = count;
        excludedBytes += p - fieldStart;
      } else {
        checkSum += sum;
        if (tag === 9) {
          if (bodyLengthField < 0) bodyLengthField = count;
          excludedBytes += p - fieldStart;
        } else if (tag === 8) {
          excludedBytes += p - fieldStart;
        }
      }

      if (v.owners[count] === -1) {
        const section = v.sections[count]!;
        if (section === Section.Header) {
          if (state !== IN_HEADER) this.markOutOfOrder(v, tag);
          if (tag === 35) this.setMsgType(v, buf, valueStart, valueEnd, dict);
        } else if (section === Section.Trailer) {
          state = IN_TRAILER;
        } else {
          if (state === IN_TRAILER) this.markOutOfOrder(v, tag);
          state = IN_BODY;
        }
        v.indexTopLevel(count, tag);
        this.openGroupIfAny(v, count, tag, section, dict);
      } else {
        const g = this.stackGroup[this.depth - 1]!;
        const nested = g.nested(tag);
        if (nested !== undefined) this.push(nested, count);
      }
      count++;
      v.fieldCount = count;
    }

    v.fieldCount = count;
    if (!validate) return ParseStatus.Ok;
    if (bodyLengthField < 0) return ParseStatus.BadBodyLength;
    const declaredLength = readInt32Wrapping(buf, v.valueStarts[bodyLengthField]!, v.valueEnds[bodyLengthField]!);
    if (Number.isNaN(declaredLength)) return ParseStatus.BadBodyLength;
    v.declaredBodyLength = declaredLength;
    v.actualBodyLength = end - start - excludedBytes;
    if (declaredLength !== v.actualBodyLength) return ParseStatus.BodyLengthMismatch;
    if (checkSumField < 0) return ParseStatus.BadCheckSum;
    const declaredSum = readInt32Wrapping(buf, v.valueStarts[checkSumField]!, v.valueEnds[checkSumField]!);
    if (Number.isNaN(declaredSum)) return ParseStatus.BadCheckSum;
    v.declaredCheckSum = declaredSum;
    v.actualCheckSum = checkSum & 0xff;
    if (declaredSum !== v.actualCheckSum) return ParseStatus.CheckSumMismatch;
    return ParseStatus.Ok;
  }

  /**
   * Decides where field `i` belongs, before its value is read (QuickFIX decides from the tag alone): into
   * the innermost open group that accepts it (closing groups that do not), or the top level. Sets
   * owners[i] (and sections[i] for top-level fields). Returns the instance whose fields a DATA length is
   * looked up in (-1: the message's own fields), as QuickFIX's extractField does.
   */
  private place(v: FixMessageView, i: number, tag: number, dict: FixDictionary): number {
    v.groupSizes[i] = -1;
    v.groupFirstInstance[i] = -1;
    while (this.depth > 0) {
      const level = this.depth - 1;
      const g = this.stackGroup[level]!;
      const current = this.stackInstance[level]!;
      const member = g.isMember(tag);
      if (
        tag === g.delimiter ||
        (member && (current < 0 || this.memberStamp[tag] === this.instanceSerial[current]))
      ) {
        const inst = this.newInstance(v, level, i);
        this.memberStamp[tag] = this.instanceSerial[inst]!;
        v.owners[i] = inst;
        this.extendInstances(v, inst, i);
        return current; // QuickFIX looked the length up in the instance that was current before this field
      }
      if (member) {
        this.memberStamp[tag] = this.instanceSerial[current]!;
        v.owners[i] = current;
        this.extendInstances(v, current, i);
        return current;
      }
      this.depth--; // the group ends at the first tag that is not one of its members
    }
    v.owners[i] = -1;
    v.sections[i] = dict.sectionOf(tag);
    return -1;
  }

  private newInstance(v: FixMessageView, level: number, i: number): number {
    const inst = v.instanceCount++;
    v.reserveInstance(inst);
    if (inst >= this.instanceSerial.length) {
      const bigger = new Int32Array(this.instanceSerial.length * 2);
      bigger.set(this.instanceSerial);
      this.instanceSerial = bigger;
    }
    const countField = this.stackCountField[level]!;
    const previous = this.stackInstance[level]!;
    v.instanceCountField[inst] = countField;
    v.instanceParent[inst] = level > 0 ? this.stackInstance[level - 1]! : -1;
    v.instanceNext[inst] = -1;
    v.instanceFirst[inst] = i;
    v.instanceEnd[inst] = i + 1;
    if (previous >= 0) v.instanceNext[previous] = inst;
    else v.groupFirstInstance[countField] = inst;
    v.groupSizes[countField] = v.groupSizes[countField]! + 1;
    this.stackInstance[level] = inst;
    if (++this.serial === 0x7fffffff) {
      this.memberStamp.fill(0);
      this.serial = 1;
    }
    this.instanceSerial[inst] = this.serial;
    return inst;
  }

  /** Field i is the last one so far of `inst` and of every enclosing instance. */
  private extendInstances(v: FixMessageView, inst: number, i: number): void {
    for (let k = inst; k >= 0; k = v.instanceParent[k]!) v.instanceEnd[k] = i + 1;
  }

  private push(group: GroupDef, countField: number): void {
    if (this.depth >= MAX_GROUP_DEPTH) return; // deeper than any dictionary nests: read the rest flat
    this.stackGroup[this.depth] = group;
    this.stackCountField[this.depth] = countField;
    this.stackInstance[this.depth] = -1;
    this.depth++;
    this.view.groupSizes[countField] = 0;
  }

  private openGroupIfAny(v: FixMessageView, i: number, tag: number, section: number, dict: FixDictionary): void {
    let group: GroupDef | undefined;
    if (section === Section.Body) group = v.messageDef?.group(tag);
    else if (section === Section.Header) group = dict.headerGroup(tag);
    else group = dict.trailerGroup(tag);
    if (group !== undefined) this.push(group, i);
  }

  private markOutOfOrder(v: FixMessageView, tag: number): void {
    if (!v.outOfOrder) {
      v.outOfOrder = true;
      v.outOfOrderTag = tag;
    }
  }

  private setMsgType(v: FixMessageView, buf: Buffer, start: number, end: number, dict: FixDictionary): void {
    const def = dict.messageByBytes(buf, start, end);
    v.messageDef = def;
    v.msgType = def !== undefined ? def.msgType : buf.toString('latin1', start, end);
  }

  /**
   * Byte length of a DATA field from its length field: the last such field in the current group instance,
   * or among the message's own fields. -1 when absent or not a non-negative integer.
   */
  private dataLength(v: FixMessageView, i: number, lengthTag: number, scope: number): number {
    for (let j = i - 1; j >= 0; j--) {
      if (v.tags[j] === lengthTag && v.owners[j] === scope) {
        const n = readInt32Wrapping(v.buffer, v.valueStarts[j]!, v.valueEnds[j]!);
        return Number.isNaN(n) || n < 0 ? -1 : n;
      }
    }
    return -1;
  }
}
