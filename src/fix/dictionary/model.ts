// The loaded dictionary in the shape the hot path wants: per-tag facts in typed arrays indexed by tag number,
// per-message facts behind one Map lookup by MsgType (or a byte-indexed table for one/two-character types),
// so parsing and validating a message never walks the XML model.

import { BUILTIN_HEADER_TAGS, BUILTIN_TRAILER_TAGS } from '../codec/tags.js';
import type { EnumSet } from './enum-set.js';
import { FieldType, type FieldTypeCode } from './field-types.js';

export const Section = { Header: 0, Body: 1, Trailer: 2 } as const;

/** Bits of FixDictionary.tagFlags: everything the parser needs to know about a tag in one byte. */
export const TagFlag = {
  Header: 1,
  Trailer: 2,
  /** DATA field: its value length comes from another field. */
  Data: 4,
  /** Count tag of a header or trailer group. */
  EnvelopeGroup: 8,
} as const;
export type SectionCode = (typeof Section)[keyof typeof Section];

export interface FieldDef {
  readonly tag: number;
  readonly name: string;
  /** Type name as written in the XML (e.g. "PRICE"). */
  readonly typeName: string;
  readonly type: FieldTypeCode;
  /** Allowed values when the field is enumerated. */
  readonly enums: EnumSet | undefined;
  /** enum value -> description from the XML. */
  readonly valueNames: ReadonlyMap<string, string>;
}

/** A repeating group as read from the dictionary: which tags belong to one instance, in dictionary order. */
export class GroupDef {
  constructor(
    readonly countTag: number,
    readonly name: string,
    /** First member in dictionary order; its appearance starts a new instance. */
    readonly delimiter: number,
    /** The group element's own required flag (QuickFIX only enforces member flags when this is set). */
    readonly required: boolean,
    /** 1-based dictionary position per tag; 0 = not a member. Includes component fields and nested count tags. */
    private readonly rank: Int16Array,
    /** Member tags in dictionary order. */
    readonly memberOrder: Int32Array,
    /** Members required in every instance, ascending. */
    readonly requiredTags: Int32Array,
    private readonly nestedByTag: ReadonlyMap<number, GroupDef>,
  ) {
    this.nestedTags = Int32Array.from(nestedByTag.keys()).sort();
  }

  /** Count tags of the groups nested in one instance, ascending. */
  readonly nestedTags: Int32Array;

  isMember(tag: number): boolean {
    return tag > 0 && tag < this.rank.length && this.rank[tag] !== 0;
  }

  /** Dictionary position (1-based) of a member, 0 when the tag is not a member. */
  memberRank(tag: number): number {
    return tag > 0 && tag < this.rank.length ? this.rank[tag]! : 0;
  }

  /** The nested group a member count tag opens, if any. */
  nested(tag: number): GroupDef | undefined {
    return this.nestedByTag.size === 0 ? undefined : this.nestedByTag.get(tag);
  }

  get nestedGroups(): ReadonlyMap<number, GroupDef> {
    return this.nestedByTag;
  }
}

export class MessageDef {
  constructor(
    readonly msgType: string,
    readonly name: string,
    /** "admin" or "app" (msgcat attribute). */
    readonly category: 'admin' | 'app',
    /** 1 for every tag allowed at the top level of this message (fields, component fields, group count tags). */
    private readonly allowed: Uint8Array,
    /** Top-level required tags, ascending. */
    readonly requiredTags: Int32Array,
    /** 1 for each top-level group count tag (indexed by tag), so the parser skips the Map for other tags. */
    readonly groupMask: Uint8Array,
    private readonly groupsByTag: ReadonlyMap<number, GroupDef>,
    /** Top-level tags in dictionary order (for documentation and tooling). */
    readonly fieldOrder: Int32Array,
  ) {
    this.groupTags = Int32Array.from(groupsByTag.keys()).sort();
  }

  /** Count tags of this message's top-level groups, ascending. */
  readonly groupTags: Int32Array;

  get isAdmin(): boolean {
    return this.category === 'admin';
  }

  allows(tag: number): boolean {
    return tag > 0 && tag < this.allowed.length && this.allowed[tag] === 1;
  }

  group(tag: number): GroupDef | undefined {
    if (tag <= 0 || tag >= this.groupMask.length || this.groupMask[tag] === 0) return undefined;
    return this.groupsByTag.get(tag);
  }

  get groups(): ReadonlyMap<number, GroupDef> {
    return this.groupsByTag;
  }
}

export interface DictionaryParts {
  source: string;
  beginString: string;
  fields: readonly FieldDef[];
  headerTags: readonly number[];
  headerRequired: readonly number[];
  headerGroups: ReadonlyMap<number, GroupDef>;
  trailerTags: readonly number[];
  trailerRequired: readonly number[];
  trailerGroups: ReadonlyMap<number, GroupDef>;
  messages: readonly MessageDef[];
}

const NO_GROUPS: ReadonlyMap<number, GroupDef> = new Map();

export class FixDictionary {
  /** Path (or name) the dictionary was loaded from, for error messages. */
  readonly source: string;
  /** BeginString this dictionary describes, e.g. "FIX.4.4"; empty for the dictionary-less layout. */
  readonly beginString: string;
  /** One past the largest tag any per-tag table covers. */
  readonly tagSpace: number;
  readonly headerRequired: Int32Array;
  readonly trailerRequired: Int32Array;
  /** Per tag, TagFlag bits (header, trailer, DATA, envelope group). */
  readonly tagFlags: Uint8Array;

  private readonly types: Uint8Array;
  private readonly known: Uint8Array;
  private readonly sections: Uint8Array;
  private readonly dataLength: Int32Array;
  private readonly enumsByTag: (EnumSet | undefined)[];
  private readonly fieldsByTag: (FieldDef | undefined)[];
  private readonly fieldsByName: Map<string, FieldDef>;
  private readonly headerGroups: ReadonlyMap<number, GroupDef>;
  private readonly trailerGroups: ReadonlyMap<number, GroupDef>;
  private readonly messagesByType: Map<string, MessageDef>;
  /** MsgType of one byte -> def, indexed by the byte. */
  private readonly oneByteTypes: (MessageDef | undefined)[] = new Array<MessageDef | undefined>(256).fill(undefined);
  /** MsgType of two bytes -> def, keyed by (b0 << 8 | b1). */
  private readonly twoByteTypes = new Map<number, MessageDef>();

  constructor(parts: DictionaryParts) {
    this.source = parts.source;
    this.beginString = parts.beginString;
    let maxTag = 0;
    for (const f of parts.fields) maxTag = Math.max(maxTag, f.tag);
    for (const t of BUILTIN_HEADER_TAGS) maxTag = Math.max(maxTag, t);
    this.tagSpace = maxTag + 1;
    this.types = new Uint8Array(this.tagSpace);
    this.known = new Uint8Array(this.tagSpace);
    this.sections = new Uint8Array(this.tagSpace).fill(Section.Body);
    this.dataLength = new Int32Array(this.tagSpace);
    this.enumsByTag = new Array<EnumSet | undefined>(this.tagSpace).fill(undefined);
    this.fieldsByTag = new Array<FieldDef | undefined>(this.tagSpace).fill(undefined);
    this.fieldsByName = new Map();
    for (const f of parts.fields) {
      this.types[f.tag] = f.type;
      this.known[f.tag] = 1;
      this.enumsByTag[f.tag] = f.enums;
      this.fieldsByTag[f.tag] = f;
      this.fieldsByName.set(f.name, f);
      // QuickFIX's rule: a DATA field's length is the tag just before it, except Signature(89) <- 93.
      if (f.type === FieldType.Data) this.dataLength[f.tag] = f.tag === 89 ? 93 : f.tag - 1;
    }
    for (const t of BUILTIN_HEADER_TAGS) this.sections[t] = Section.Header;
    for (const t of parts.headerTags) if (t < this.tagSpace) this.sections[t] = Section.Header;
    for (const t of BUILTIN_TRAILER_TAGS) this.sections[t] = Section.Trailer;
    for (const t of parts.trailerTags) if (t < this.tagSpace) this.sections[t] = Section.Trailer;
    this.headerRequired = Int32Array.from(parts.headerRequired).sort();
    this.trailerRequired = Int32Array.from(parts.trailerRequired).sort();
    this.headerGroups = parts.headerGroups;
    this.trailerGroups = parts.trailerGroups;
    this.tagFlags = new Uint8Array(this.tagSpace);
    for (let tag = 1; tag < this.tagSpace; tag++) {
      let flags = 0;
      if (this.sections[tag] === Section.Header) flags |= TagFlag.Header;
      if (this.sections[tag] === Section.Trailer) flags |= TagFlag.Trailer;
      if (this.dataLength[tag] !== 0) flags |= TagFlag.Data;
      if (parts.headerGroups.has(tag) || parts.trailerGroups.has(tag)) flags |= TagFlag.EnvelopeGroup;
      this.tagFlags[tag] = flags;
    }
    this.messagesByType = new Map();
    for (const m of parts.messages) {
      this.messagesByType.set(m.msgType, m);
      const bytes = Buffer.from(m.msgType, 'latin1');
      if (bytes.length === 1) this.oneByteTypes[bytes[0]!] = m;
      else if (bytes.length === 2) this.twoByteTypes.set((bytes[0]! << 8) | bytes[1]!, m);
    }
  }

  /** A dictionary with no fields or messages: QuickFIX's built-in header/trailer tags only. */
  static empty(beginString = ''): FixDictionary {
    return new FixDictionary({
      source: '(none)',
      beginString,
      fields: [],
      headerTags: [],
      headerRequired: [],
      headerGroups: NO_GROUPS,
      trailerTags: [],
      trailerRequired: [],
      trailerGroups: NO_GROUPS,
      messages: [],
    });
  }

  /** Header, body or trailer for a top-level tag (unknown tags are body, as in QuickFIX). */
  sectionOf(tag: number): SectionCode {
    return tag > 0 && tag < this.tagSpace ? (this.sections[tag] as SectionCode) : Section.Body;
  }

  isHeaderTag(tag: number): boolean {
    return this.sectionOf(tag) === Section.Header;
  }

  isTrailerTag(tag: number): boolean {
    return this.sectionOf(tag) === Section.Trailer;
  }

  /** True when the tag is defined in <fields>. */
  isKnownTag(tag: number): boolean {
    return tag > 0 && tag < this.tagSpace && this.known[tag] === 1;
  }

  /** Type code of a tag (Unknown when undefined). */
  typeOf(tag: number): FieldTypeCode {
    return tag > 0 && tag < this.tagSpace ? (this.types[tag] as FieldTypeCode) : FieldType.Unknown;
  }

  /** For a DATA field, the tag holding its byte length; 0 for every other tag. */
  dataLengthTag(tag: number): number {
    return tag > 0 && tag < this.tagSpace ? this.dataLength[tag]! : 0;
  }

  enumsOf(tag: number): EnumSet | undefined {
    return tag > 0 && tag < this.tagSpace ? this.enumsByTag[tag] : undefined;
  }

  field(tag: number): FieldDef | undefined {
    return tag > 0 && tag < this.tagSpace ? this.fieldsByTag[tag] : undefined;
  }

  fieldByName(name: string): FieldDef | undefined {
    return this.fieldsByName.get(name);
  }

  headerGroup(tag: number): GroupDef | undefined {
    return this.headerGroups.size === 0 ? undefined : this.headerGroups.get(tag);
  }

  trailerGroup(tag: number): GroupDef | undefined {
    return this.trailerGroups.size === 0 ? undefined : this.trailerGroups.get(tag);
  }

  message(msgType: string): MessageDef | undefined {
    return this.messagesByType.get(msgType);
  }

  /** MsgType lookup straight from message bytes, without building a string for the common 1-2 byte types. */
  messageByBytes(buf: Uint8Array, start: number, end: number): MessageDef | undefined {
    const len = end - start;
    if (len === 1) return this.oneByteTypes[buf[start]!];
    if (len === 2) return this.twoByteTypes.get((buf[start]! << 8) | buf[start + 1]!);
    if (len === 0) return undefined;
    return this.messagesByType.get(Buffer.from(buf.buffer, buf.byteOffset + start, len).toString('latin1'));
  }

  get messages(): IterableIterator<MessageDef> {
    return this.messagesByType.values();
  }

  get fields(): IterableIterator<FieldDef> {
    return this.fieldsByName.values();
  }
}
