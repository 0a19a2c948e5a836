// One scan over a framed message: tags, value offsets, header/body/trailer placement, repeating-group
// instances (by the dictionary's group definitions, the way QuickFIX's Message::setString/setGroup reads
// them), the CheckSum sum and the BodyLength count. Everything lands in a reused FixMessageView.
//
// A frame QuickFIX would refuse to turn into a message (garbled field, first three tags not 8/9/35, wrong
// BodyLength, wrong CheckSum) gets a non-Ok status; the session drops it silently, as QuickFIX does.

import { FixMessageView, LOOKUP_SIZE } from './message-view.js';
import { readInt32Wrapping } from './read-values.js';
import { FixDictionary, type GroupDef, Section, TagFlag } from '../dictionary/model.js';
import { grownArray } from '../../shared/growth.js';

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

const MAX_GROUP_DEPTH = 32;
/** QuickFIX's parse-time section state: which part of the message the last top-level field belonged to. */
// Literal copies of Section and TagFlag values (checked below): the hot loop compares against constants
// instead of loading properties of the imported objects.
const HEADER = 0;
const BODY = 1;
const TRAILER = 2;
const FLAG_HEADER = 1;
const FLAG_TRAILER = 2;
const FLAG_DATA = 4;
const FLAG_ENVELOPE_GROUP = 8;
if (
  HEADER !== Section.Header ||
  BODY !== Section.Body ||
  TRAILER !== Section.Trailer ||
  FLAG_HEADER !== TagFlag.Header ||
  FLAG_TRAILER !== TagFlag.Trailer ||
  FLAG_DATA !== TagFlag.Data ||
  FLAG_ENVELOPE_GROUP !== TagFlag.EnvelopeGroup
) {
  throw new Error('parser constants out of step with Section/TagFlag');
}
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
    const flagTable = dict.tagFlags;
    const tagSpace = flagTable.length;
    const validate = this.validateLengthAndChecksum;
    // The view's arrays, held in locals for the loop (re-read only when they grow).
    let tags = v.tags;
    let starts = v.valueStarts;
    let ends = v.valueEnds;
    let info = v.info;
    let capacity = tags.length;
    const slotGen = v.slotGen;
    const slotIndex = v.slotIndex;
    const generation = v.generation;
    let groupMask: Uint8Array | undefined;

    this.depth = 0;
    let state = IN_HEADER;
    let p = start;
    let count = 0;
    let checkSum = 0;
    let excludedBytes = 0; // bytes of 8, 9 and 10 fields: QuickFIX's bodyLength() leaves them out
    let bodyLengthField = -1;
    let checkSumField = -1;

    // Every field ends with SOH, so with an SOH as the last byte the scanning loops below need no bounds check:
    // they stop at that SOH at the latest. Without it the last field is unterminated (QuickFIX: garbled).
    if (buf[end - 1] !== 0x01) return ParseStatus.MissingSoh;

    while (p < end) {
      const fieldStart = p;
      // ---- tag: optional '-', digits, '=' (QuickFIX parses it with IntConvertor)
      let c = buf[p]!;
      let sum = 0;
      let negative = false;
      if (c === 0x2d) {
        negative = true;
        sum = c;
        p++;
      }
      const digitsStart = p;
      let tag = 0;
      for (;;) {
        c = buf[p]!;
        const d = c - 48;
        if (d >>> 0 > 9) break; // not '0'..'9' (negative d wraps to a large unsigned value)
        tag = (Math.imul(tag, 10) + d) | 0;
        sum += c;
        p++;
      }
      if (c !== 0x3d || p === digitsStart) return ParseStatus.GarbledField;
      if (negative) tag = -tag | 0;
      sum += 0x3d;
      p++;
      const valueStart = p;
      const flags = tag > 0 && tag < tagSpace ? flagTable[tag]! : 0;

      if (count >= capacity) {
        v.reserveField(count);
        tags = v.tags;
        starts = v.valueStarts;
        ends = v.valueEnds;
        info = v.info;
        capacity = tags.length;
      }
      // Placement comes before the value: a DATA field's length is looked up where the field lands.
      // `owner` is the group instance the field joins, -1 for the top level.
      let owner = -1;
      let scope = -1;
      if (this.depth > 0) {
        owner = this.place(v, count, tag);
        scope = this.scope;
      }

      // ---- value: up to SOH, or exactly <length> bytes for a DATA field
      let valueEnd: number;
      if ((flags & FLAG_DATA) !== 0) {
        const len = this.dataLength(v, count, dict.dataLengthTag(tag), scope);
        if (len < 0 || valueStart + len >= end) return ParseStatus.BadDataLength;
        valueEnd = valueStart + len;
        for (let k = valueStart; k <= valueEnd; k++) sum += buf[k]!;
        p = valueEnd + 1;
      } else {
        // two bytes per turn: most values are short, and the loop overhead is most of the cost
        for (;;) {
          c = buf[p]!;
          if (c === 0x01) break;
          sum += c;
          c = buf[p + 1]!;
          if (c === 0x01) {
            p++;
            break;
          }
          sum += c;
          p += 2;
        }
        valueEnd = p;
        sum += 0x01;
        p++;
      }

      tags[count] = tag;
      starts[count] = valueStart;
      ends[count] = valueEnd;

      if (tag > 10 || tag < 8) {
        checkSum += sum;
      } else if (tag === 10) {
        if (checkSumField < 0) checkSumField = count;
        excludedBytes += p - fieldStart;
      } else {
        checkSum += sum;
        if (tag === 9 && bodyLengthField < 0) bodyLengthField = count;
        excludedBytes += p - fieldStart;
      }

      if (owner === -1) {
        // ---- top-level field: section, QuickFIX's structure check, tag index, groups it opens
        let section: number = BODY;
        if ((flags & FLAG_HEADER) !== 0) {
          section = HEADER;
          if (state !== IN_HEADER) this.markOutOfOrder(v, tag);
          if (tag === 35) {
            this.setMsgType(v, buf, valueStart, valueEnd, dict);
            groupMask = v.messageDef?.groupMask;
          }
        } else if ((flags & FLAG_TRAILER) !== 0) {
          section = TRAILER;
          state = IN_TRAILER;
        } else {
          if (state === IN_TRAILER) this.markOutOfOrder(v, tag);
          state = IN_BODY;
        }
        let repeat = 0;
        if (slotGen !== undefined && tag >= 0 && tag < LOOKUP_SIZE) {
          if (slotGen[tag] === generation) {
            repeat = 1;
            v.repeatCount++;
          } else {
            slotGen[tag] = generation;
            slotIndex![tag] = count;
          }
        } else {
          repeat = v.repeatBitByScan(count, tag);
        }
        info[count] = (section << 1) | repeat;
        if (section === BODY) {
          if (groupMask !== undefined && tag > 0 && tag < groupMask.length && groupMask[tag] === 1) {
            this.push(v.messageDef!.group(tag)!, count);
          }
        } else if ((flags & FLAG_ENVELOPE_GROUP) !== 0) {
          const group = section === HEADER ? dict.headerGroup(tag) : dict.trailerGroup(tag);
          if (group !== undefined) this.push(group, count);
        }
      } else {
        info[count] = (owner + 1) << 4;
        const nested = this.stackGroup[this.depth - 1]!.nested(tag);
        if (nested !== undefined) this.push(nested, count);
      }
      count++;
    }

    v.fieldCount = count;
    if (!validate) return ParseStatus.Ok;
    // QuickFIX refuses the message when its first three fields are not 8, 9, 35 (checked here rather than
    // per field: the outcome, a dropped message, is the same).
    if (count < 3 || tags[0] !== 8 || tags[1] !== 9 || tags[2] !== 35) return ParseStatus.HeaderOutOfOrder;
    if (bodyLengthField < 0) return ParseStatus.BadBodyLength;
    const declaredLength = readInt32Wrapping(buf, starts[bodyLengthField]!, ends[bodyLengthField]!);
    if (Number.isNaN(declaredLength)) return ParseStatus.BadBodyLength;
    v.declaredBodyLength = declaredLength;
    v.actualBodyLength = end - start - excludedBytes;
    if (declaredLength !== v.actualBodyLength) return ParseStatus.BodyLengthMismatch;
    if (checkSumField < 0) return ParseStatus.BadCheckSum;
    const declaredSum = readInt32Wrapping(buf, starts[checkSumField]!, ends[checkSumField]!);
    if (Number.isNaN(declaredSum)) return ParseStatus.BadCheckSum;
    v.declaredCheckSum = declaredSum;
    v.actualCheckSum = checkSum & 0xff;
    if (declaredSum !== v.actualCheckSum) return ParseStatus.CheckSumMismatch;
    return ParseStatus.Ok;
  }

  /** Instance a DATA field's length is looked up in (set by place(); -1 = the message's own fields). */
  private scope = -1;

  /**
   * Decides where field `i` belongs, before its value is read (QuickFIX decides from the tag alone): into
   * the innermost open group that accepts it (closing groups that do not), or the top level. Returns the
   * owning instance (-1 for the top level) and sets `scope`: the instance that was current before this
   * field, where QuickFIX's extractField looks up a DATA field's length.
   */
  private place(v: FixMessageView, i: number, tag: number): number {
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
        this.extendInstances(v, inst, i);
        this.scope = current;
        return inst;
      }
      if (member) {
        this.memberStamp[tag] = this.instanceSerial[current]!;
        this.extendInstances(v, current, i);
        this.scope = current;
        return current;
      }
      this.depth--; // the group ends at the first tag that is not one of its members
    }
    this.scope = -1;
    return -1;
  }

  private newInstance(v: FixMessageView, level: number, i: number): number {
    const inst = v.instanceCount++;
    v.reserveInstance(inst);
    if (inst >= this.instanceSerial.length) this.instanceSerial = grownArray(this.instanceSerial);
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
    const v = this.view;
    v.info[countField] = v.info[countField]! | 8;
    v.groupSizes[countField] = 0;
    v.groupFirstInstance[countField] = -1;
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
      if (v.tags[j] === lengthTag && (v.info[j]! >> 4) - 1 === scope) {
        const n = readInt32Wrapping(v.buffer, v.valueStarts[j]!, v.valueEnds[j]!);
        return Number.isNaN(n) || n < 0 ? -1 : n;
      }
    }
    return -1;
  }
}
