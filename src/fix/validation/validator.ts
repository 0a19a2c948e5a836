// Dictionary validation of an incoming message, in QuickFIX's order (DataDictionary::validate):
//   1. structure: a header tag after a body tag, or a body tag after a trailer tag          -> 14 (RefTagID)
//   2. MsgType known to the dictionary                                                      -> 11 (no RefTagID)
//   3. required fields: header, trailer, body (lowest tag first), then each group instance  -> 1
//   4. header, trailer, body fields in QuickFIX's sorted order (header 8, 9, 35 first; trailer 10 last),
//      each field: repeated (13), empty (4), data format (6), enum value (5), known tag (0),
//      allowed in this MsgType (2), NumInGroup count (16).
//   5. (beyond QuickFIX, on by default) fields inside group instances: empty, format, enum, nested counts.
// Instead of sorting the fields, each section keeps the failure with the smallest sort key: the first failure
// QuickFIX's sorted walk would meet. A valid message (the hot path) costs one pass over its fields and no
// allocation; the answer is a reused object, valid until the next validate().

import type { FixMessageView } from '../codec/message-view.js';
import { readInt } from '../codec/read-values.js';
import type { EnumSet } from '../dictionary/enum-set.js';
import { FieldType, isMultipleValueType } from '../dictionary/field-types.js';
import type { FixDictionary, GroupDef, MessageDef } from '../dictionary/model.js';
import { Section } from '../dictionary/model.js';
import { RejectReason, rejectText } from './reject-reasons.js';
import { hasValidFormat } from './value-formats.js';

export interface ValidationOptions {
  /** QuickFIX UseDataDictionary: false turns validation off (validate() always answers null). Default true. */
  enabled?: boolean;
  /** QuickFIX ValidateFieldsOutOfOrder (reason 14). Default true. */
  checkFieldsOutOfOrder?: boolean;
  /** QuickFIX ValidateFieldsHaveValues (reason 4). Default true. */
  checkFieldsHaveValues?: boolean;
  /** QuickFIX ValidateUserDefinedFields: check tags >= 5000 are known/allowed. Default true. */
  checkUserDefinedFields?: boolean;
  /** QuickFIX AllowUnknownMsgFields: skip known/allowed checks for tags < 5000. Default false. */
  allowUnknownMessageFields?: boolean;
  /**
   * Enforce the dictionary's required header/trailer fields (34, 49, 52, 56 in FIX44.xml). Default true.
   * QuickFIX itself never does (it compares required="Y" with "true"); its session layer catches missing
   * 49/56 (Reject 1) and 34/52 (disconnect) instead. Turn off to leave those to the session layer.
   */
  checkRequiredHeaderFields?: boolean;
  /** Check empty/format/enum/NumInGroup inside group instances (QuickFIX C++ does not). Default true. */
  checkGroupFields?: boolean;
  /** Check LOCALMKTDATE, MONTHYEAR, DAYOFMONTH formats (QuickFIX treats them as text). Default true. */
  strictDateFormats?: boolean;
}

/** What the Reject must say: SessionRejectReason(373), RefTagID(371) or null for none, Text(58). */
export interface ValidationFailure {
  reason: number;
  tag: number | null;
  text: string;
}

const USER_MIN = 5000;

const NO_FAILURE = Number.POSITIVE_INFINITY;

/** Per-tag check bits, precomputed from the dictionary so each field costs one table lookup. */
const CHECK_FORMAT = 1;
const CHECK_ENUM = 2;
const KNOWN = 4;
const MULTIPLE_VALUES = 8;
const HEADER = Section.Header as number;
const BODY = Section.Body as number;
/** Sort key of CheckSum(10): QuickFIX walks it last in the trailer. */
const LAST_KEY = 0x7fffffff;

export class FixValidator {
  private readonly enabled: boolean;
  private readonly checkOrder: boolean;
  private readonly checkValues: boolean;
  private readonly checkUserDefined: boolean;
  private readonly allowUnknown: boolean;
  private readonly checkHeaderRequired: boolean;
  private readonly checkGroups: boolean;
  private readonly strictDates: boolean;
  private readonly failure: ValidationFailure = { reason: 0, tag: null, text: '' };

  private readonly checks: Uint8Array;
  private readonly types: Uint8Array;
  private readonly enums: (EnumSet | undefined)[];

  // The failure found by walkGroup.
  private foundReason = 0;
  private foundTag = 0;

  constructor(
    readonly dictionary: FixDictionary,
    options: ValidationOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.checkOrder = options.checkFieldsOutOfOrder ?? true;
    this.checkValues = options.checkFieldsHaveValues ?? true;
    this.checkUserDefined = options.checkUserDefinedFields ?? true;
    this.allowUnknown = options.allowUnknownMessageFields ?? false;
    this.checkHeaderRequired = options.checkRequiredHeaderFields ?? true;
    this.checkGroups = options.checkGroupFields ?? true;
    this.strictDates = options.strictDateFormats ?? true;
    const space = dictionary.tagSpace;
    this.checks = new Uint8Array(space);
    this.types = new Uint8Array(space);
    this.enums = new Array<EnumSet | undefined>(space).fill(undefined);
    for (let tag = 1; tag < space; tag++) {
      if (!dictionary.isKnownTag(tag)) continue;
      const type = dictionary.typeOf(tag);
      const enums = dictionary.enumsOf(tag);
      let bits = KNOWN;
      if (needsFormatCheck(type)) bits |= CHECK_FORMAT;
      if (enums !== undefined) bits |= CHECK_ENUM;
      if (isMultipleValueType(type)) bits |= MULTIPLE_VALUES;
      this.checks[tag] = bits;
      this.types[tag] = type;
      this.enums[tag] = enums;
    }
  }

  /** null when the message is valid; otherwise what to put in the Reject (a reused object). */
  validate(view: FixMessageView): ValidationFailure | null {
    if (!this.enabled) return null;
    if (this.checkOrder && view.outOfOrder) return this.fail(RejectReason.TagSpecifiedOutOfRequiredOrder, view.outOfOrderTag);
    const message = view.messageDef;
    if (message === undefined) return this.fail(RejectReason.InvalidMsgType, null);

    // ---- required fields
    const dict = this.dictionary;
    if (this.checkHeaderRequired) {
      const missing = firstMissing(view, dict.headerRequired) ?? firstMissing(view, dict.trailerRequired);
      if (missing !== undefined) return this.fail(RejectReason.RequiredTagMissing, missing);
    }
    const missingBody = firstMissing(view, message.requiredTags);
    if (missingBody !== undefined) return this.fail(RejectReason.RequiredTagMissing, missingBody);
    const groupTags = message.groupTags;
    const hasGroups = view.instanceCount > 0;
    if (hasGroups) {
      for (let g = 0; g < groupTags.length; g++) {
        const tag = groupTags[g]!;
        const f = view.groupField(tag);
        if (f < 0) continue;
        const missing = this.firstMissingInGroup(view, f, message.group(tag)!);
        if (missing !== undefined) return this.fail(RejectReason.RequiredTagMissing, missing);
      }
    }

    // ---- field by field: header, trailer, body
    const failure = this.walkTopLevel(view, message);
    if (failure !== null) return failure;

    // ---- inside groups
    if (this.checkGroups && hasGroups) {
      for (let g = 0; g < groupTags.length; g++) {
        const tag = groupTags[g]!;
        const f = view.groupField(tag);
        if (f < 0) continue;
        if (this.walkGroup(view, f, message.group(tag)!)) return this.fail(this.foundReason, this.foundTag);
      }
    }
    return null;
  }

  private fail(reason: number, tag: number | null): ValidationFailure {
    const f = this.failure;
    f.reason = reason;
    f.tag = tag;
    f.text = rejectText(reason);
    return f;
  }

  /**
   * One pass over the top-level fields. Each section keeps the failure with the smallest sort key, i.e. the
   * one QuickFIX's sorted walk would meet first; the header's wins, then the trailer's, then the body's.
   */
  private walkTopLevel(view: FixMessageView, message: MessageDef): ValidationFailure | null {
    const n = view.fieldCount;
    const tags = view.tags;
    const info = view.info;
    const starts = view.valueStarts;
    const ends = view.valueEnds;
    const buf = view.buffer;
    const checks = this.checks;
    const space = checks.length;
    let headerKey = NO_FAILURE;
    let headerReason = 0;
    let headerTag = 0;
    let trailerKey = NO_FAILURE;
    let trailerReason = 0;
    let trailerTag = 0;
    let bodyKey = NO_FAILURE;
    let bodyReason = 0;
    let bodyTag = 0;
    for (let i = 0; i < n; i++) {
      const packed = info[i]!;
      if (packed >= 16) continue; // inside a group instance
      const section = (packed >> 1) & 3;
      const tag = tags[i]!;
      let key: number;
      if (section === BODY) {
        key = tag;
        if (key >= bodyKey) continue; // cannot change the answer
      } else if (section === HEADER) {
        key = tag === 8 ? -3 : tag === 9 ? -2 : tag === 35 ? -1 : tag;
        if (key >= headerKey) continue;
      } else {
        key = tag === 10 ? LAST_KEY : tag;
        if (key >= trailerKey) continue;
      }
      let reason: number;
      if ((packed & 1) === 1) {
        reason = RejectReason.TagAppearsMoreThanOnce;
      } else {
        const bits = tag > 0 && tag < space ? checks[tag]! : 0;
        reason = this.valueReason(tag, bits, buf, starts[i]!, ends[i]!);
        if (reason < 0 && (tag >= USER_MIN ? this.checkUserDefined : !this.allowUnknown)) {
          if ((bits & KNOWN) === 0) reason = RejectReason.InvalidTagNumber;
          else if (section === BODY) {
            if (!message.allows(tag)) reason = RejectReason.TagNotDefinedForMessageType;
            else if ((packed & 8) !== 0 && readInt(buf, starts[i]!, ends[i]!) !== view.groupSizes[i]) {
              reason = RejectReason.IncorrectNumInGroupCount;
            }
          }
        }
      }
      if (reason < 0) continue;
      if (section === BODY) {
        bodyKey = key;
        bodyReason = reason;
        bodyTag = tag;
      } else if (section === HEADER) {
        headerKey = key;
        headerReason = reason;
        headerTag = tag;
      } else {
        trailerKey = key;
        trailerReason = reason;
        trailerTag = tag;
      }
    }
    if (headerKey !== NO_FAILURE) return this.fail(headerReason, headerTag);
    if (trailerKey !== NO_FAILURE) return this.fail(trailerReason, trailerTag);
    if (bodyKey !== NO_FAILURE) return this.fail(bodyReason, bodyTag);
    return null;
  }

  /** Empty value (4), data format (6), enum (5) for one value; -1 when it is fine. */
  private valueReason(tag: number, bits: number, buf: Uint8Array, start: number, end: number): number {
    if (start === end && this.checkValues) return RejectReason.TagSpecifiedWithoutValue;
    if ((bits & CHECK_FORMAT) !== 0 && !hasValidFormat(this.types[tag]!, buf, start, end, this.strictDates)) {
      return RejectReason.IncorrectDataFormat;
    }
    if ((bits & CHECK_ENUM) !== 0) {
      const enums = this.enums[tag]!;
      const ok = (bits & MULTIPLE_VALUES) !== 0 ? enums.hasEachOf(buf, start, end) : enums.has(buf, start, end);
      if (!ok) return RejectReason.ValueIsIncorrect;
    }
    return -1;
  }

  /** First required member missing from any instance of the group at count field f (recursively). */
  private firstMissingInGroup(view: FixMessageView, f: number, group: GroupDef): number | undefined {
    const required = group.requiredTags;
    const nestedTags = group.nestedTags;
    const size = view.groupSizeAt(f);
    for (let k = 0; k < size; k++) {
      const inst = view.instanceOfField(f, k);
      for (let r = 0; r < required.length; r++) {
        if (view.indexIn(inst, required[r]!) < 0) return required[r]!;
      }
      for (let g = 0; g < nestedTags.length; g++) {
        const nf = view.indexIn(inst, nestedTags[g]!);
        if (nf < 0 || view.groupSizeAt(nf) < 0) continue;
        const missing = this.firstMissingInGroup(view, nf, group.nested(nestedTags[g]!)!);
        if (missing !== undefined) return missing;
      }
    }
    return undefined;
  }

  /** Checks the fields of each instance of the group at count field f; true (found*) on failure. */
  private walkGroup(view: FixMessageView, f: number, group: GroupDef): boolean {
    const size = view.groupSizeAt(f);
    const tags = view.tags;
    const info = view.info;
    const starts = view.valueStarts;
    const ends = view.valueEnds;
    const buf = view.buffer;
    const checks = this.checks;
    const space = checks.length;
    for (let k = 0; k < size; k++) {
      const inst = view.instanceOfField(f, k);
      const own = (inst + 1) << 4;
      let bestKey = NO_FAILURE;
      const end = view.instanceEndField(inst);
      for (let i = view.instanceFirstField(inst); i < end; i++) {
        const packed = info[i]!;
        if ((packed & ~15) !== own) continue; // a nested instance's field
        const tag = tags[i]!;
        if (tag >= bestKey) continue;
        const bits = tag > 0 && tag < space ? checks[tag]! : 0;
        let reason = this.valueReason(tag, bits, buf, starts[i]!, ends[i]!);
        if (reason < 0 && (packed & 8) !== 0 && readInt(buf, starts[i]!, ends[i]!) !== view.groupSizes[i]) {
          reason = RejectReason.IncorrectNumInGroupCount;
        }
        if (reason >= 0) {
          bestKey = tag;
          this.foundReason = reason;
          this.foundTag = tag;
        }
      }
      if (bestKey !== NO_FAILURE) return true;
      const nestedTags = group.nestedTags;
      for (let g = 0; g < nestedTags.length; g++) {
        const nf = view.indexIn(inst, nestedTags[g]!);
        if (nf < 0 || view.groupSizeAt(nf) < 0) continue;
        if (this.walkGroup(view, nf, group.nested(nestedTags[g]!)!)) return true;
      }
    }
    return false;
  }
}

/** Types whose text needs a syntax check (the rest accept any text). */
function needsFormatCheck(type: number): boolean {
  return (
    type !== FieldType.Unknown &&
    type !== FieldType.String &&
    type !== FieldType.Currency &&
    type !== FieldType.Exchange &&
    type !== FieldType.Data &&
    type !== FieldType.Country &&
    type !== FieldType.MultipleValueString &&
    type !== FieldType.MultipleStringValue &&
    type !== FieldType.MultipleCharValue &&
    type !== FieldType.XmlData &&
    type !== FieldType.Language &&
    type !== FieldType.TzTimeOnly &&
    type !== FieldType.TzTimestamp
  );
}

function firstMissing(view: FixMessageView, tags: Int32Array): number | undefined {
  for (let k = 0; k < tags.length; k++) if (view.indexOf(tags[k]!) < 0) return tags[k]!;
  return undefined;
}
