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
import { isMultipleValueType } from '../dictionary/field-types.js';
import type { FixDictionary, GroupDef } from '../dictionary/model.js';
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
/** QuickFIX iterates the header, then the trailer, then the body. */
const WALK_ORDER = [Section.Header, Section.Trailer, Section.Body] as const;
const NO_FAILURE = Number.POSITIVE_INFINITY;

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

  // The best (smallest-key) failure of the section being walked.
  private bestKey = NO_FAILURE;
  private bestReason = 0;
  private bestTag = 0;

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
    for (let g = 0; g < groupTags.length; g++) {
      const tag = groupTags[g]!;
      const f = view.groupField(tag);
      if (f < 0) continue;
      const missing = this.firstMissingInGroup(view, f, message.group(tag)!);
      if (missing !== undefined) return this.fail(RejectReason.RequiredTagMissing, missing);
    }

    // ---- field by field: header, trailer, body
    for (let w = 0; w < WALK_ORDER.length; w++) {
      this.bestKey = NO_FAILURE;
      this.walkSection(view, WALK_ORDER[w]!);
      if (this.bestKey !== NO_FAILURE) return this.fail(this.bestReason, this.bestTag);
    }

    // ---- inside groups
    if (this.checkGroups && view.instanceCount > 0) {
      for (let g = 0; g < groupTags.length; g++) {
        const tag = groupTags[g]!;
        const f = view.groupField(tag);
        if (f < 0) continue;
        if (this.walkGroup(view, f, message.group(tag)!)) return this.fail(this.bestReason, this.bestTag);
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

  private note(key: number, reason: number, tag: number): void {
    if (key < this.bestKey) {
      this.bestKey = key;
      this.bestReason = reason;
      this.bestTag = tag;
    }
  }

  /** Checks every top-level field of one section, remembering the failure QuickFIX would report first. */
  private walkSection(view: FixMessageView, section: number): void {
    const n = view.fieldCount;
    const dict = this.dictionary;
    const message = view.messageDef!;
    for (let i = 0; i < n; i++) {
      if (view.ownerAt(i) !== -1 || view.sectionAt(i) !== section) continue;
      const tag = view.tagAt(i);
      const key = sortKey(section, tag);
      if (key >= this.bestKey) continue; // cannot change the answer
      if (view.isRepeatAt(i)) {
        this.note(key, RejectReason.TagAppearsMoreThanOnce, tag);
        continue;
      }
      const reason = this.checkValue(view, i, tag);
      if (reason >= 0) {
        this.note(key, reason, tag);
        continue;
      }
      if (!this.shouldCheckTag(tag)) continue;
      if (!dict.isKnownTag(tag)) {
        this.note(key, RejectReason.InvalidTagNumber, tag);
        continue;
      }
      if (section !== Section.Body) continue;
      if (!message.allows(tag)) {
        this.note(key, RejectReason.TagNotDefinedForMessageType, tag);
        continue;
      }
      const instances = view.groupSizeAt(i);
      if (instances >= 0 && view.intAt(i) !== instances) {
        this.note(key, RejectReason.IncorrectNumInGroupCount, tag);
      }
    }
  }

  /** Empty value (4), data format (6), enum (5) for field i; -1 when the value is fine. */
  private checkValue(view: FixMessageView, i: number, tag: number): number {
    const start = view.valueStartAt(i);
    const end = view.valueEndAt(i);
    if (start === end && this.checkValues) return RejectReason.TagSpecifiedWithoutValue;
    const dict = this.dictionary;
    const buf = view.buffer;
    const type = dict.typeOf(tag);
    if (type !== 0 && !hasValidFormat(type, buf, start, end, this.strictDates)) return RejectReason.IncorrectDataFormat;
    const enums = dict.enumsOf(tag);
    if (enums !== undefined) {
      const ok = isMultipleValueType(type) ? enums.hasEachOf(buf, start, end) : enums.has(buf, start, end);
      if (!ok) return RejectReason.ValueIsIncorrect;
    }
    return -1;
  }

  private shouldCheckTag(tag: number): boolean {
    if (this.allowUnknown && tag < USER_MIN) return false;
    if (!this.checkUserDefined && tag >= USER_MIN) return false;
    return true;
  }

  /** First required member missing from any instance of the group at count field f (recursively). */
  private firstMissingInGroup(view: FixMessageView, f: number, group: GroupDef): number | undefined {
    const required = group.requiredTags;
    const size = view.groupSizeAt(f);
    for (let k = 0; k < size; k++) {
      const inst = view.instanceOfField(f, k);
      for (let r = 0; r < required.length; r++) {
        if (view.indexIn(inst, required[r]!) < 0) return required[r]!;
      }
      const nestedTags = group.nestedTags;
      for (let g = 0; g < nestedTags.length; g++) {
        const nf = view.indexIn(inst, nestedTags[g]!);
        if (nf < 0 || view.groupSizeAt(nf) < 0) continue;
        const missing = this.firstMissingInGroup(view, nf, group.nested(nestedTags[g]!)!);
        if (missing !== undefined) return missing;
      }
    }
    return undefined;
  }

  /** Checks the fields of each instance of the group at count field f; true (with best*) on failure. */
  private walkGroup(view: FixMessageView, f: number, group: GroupDef): boolean {
    const size = view.groupSizeAt(f);
    for (let k = 0; k < size; k++) {
      const inst = view.instanceOfField(f, k);
      this.bestKey = NO_FAILURE;
      const end = view.instanceEndField(inst);
      for (let i = view.instanceFirstField(inst); i < end; i++) {
        if (view.ownerAt(i) !== inst) continue;
        const tag = view.tagAt(i);
        if (tag >= this.bestKey) continue;
        const reason = this.checkValue(view, i, tag);
        if (reason >= 0) {
          this.note(tag, reason, tag);
          continue;
        }
        const instances = view.groupSizeAt(i);
        if (instances >= 0 && view.intAt(i) !== instances) this.note(tag, RejectReason.IncorrectNumInGroupCount, tag);
      }
      if (this.bestKey !== NO_FAILURE) return true;
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

/** QuickFIX's field order per section: header 8, 9, 35 first then ascending; trailer 10 last; body ascending. */
function sortKey(section: number, tag: number): number {
  if (section === Section.Header) {
    if (tag === 8) return -3;
    if (tag === 9) return -2;
    if (tag === 35) return -1;
    return tag;
  }
  if (section === Section.Trailer) return tag === 10 ? 0x7fffffff : tag;
  return tag;
}

function firstMissing(view: FixMessageView, tags: Int32Array): number | undefined {
  for (let k = 0; k < tags.length; k++) if (view.indexOf(tags[k]!) < 0) return tags[k]!;
  return undefined;
}
