// Reads a QuickFIX-format data dictionary (fields, header, trailer, messages, components, groups) into a
// FixDictionary. Required flags follow QuickFIX's DataDictionary::readFromDocument:
//  - a message field or group is required when it says required="Y";
//  - a component's fields count as required only when the component reference is required too;
//  - a group member is required (in every instance) only when both it and its group say required="Y";
//  - fields reached through a component inside a group are never required.
// Every error names the file and what is wrong (with the XML line when there is one).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EnumSet } from './enum-set.js';
import { fieldTypeFromXml } from './field-types.js';
import { type FieldDef, FixDictionary, GroupDef, MessageDef } from './model.js';
import { parseXml, type XmlElement, XmlSyntaxError } from './xml-reader.js';

export class DictionaryError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = 'DictionaryError';
  }
}

const ADMIN_MSG_TYPES = new Set(['0', '1', '2', '3', '4', '5', 'A']);

/** Loads and indexes the dictionary at `path`. Throws DictionaryError naming the file and the problem. */
export function loadDictionary(path: string): FixDictionary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new DictionaryError(path, `cannot read data dictionary: ${reason}`);
  }
  return parseDictionary(text, path);
}

const shared = new Map<string, FixDictionary>();

/** Like loadDictionary, but sessions naming the same file share one loaded copy. */
export function loadDictionaryShared(path: string): FixDictionary {
  const key = resolve(path);
  let dict = shared.get(key);
  if (dict === undefined) {
    dict = loadDictionary(path);
    shared.set(key, dict);
  }
  return dict;
}

/** Builds a dictionary from XML text; `source` names it in errors. */
export function parseDictionary(xml: string, source: string): FixDictionary {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new DictionaryError(source, `not well-formed XML: ${error.message}`);
    throw error;
  }
  return new DictionaryBuilder(root, source).build();
}

class DictionaryBuilder {
  private readonly fieldsByName = new Map<string, FieldDef>();
  private readonly components = new Map<string, XmlElement>();
  private readonly groupCache = new Map<XmlElement, GroupDef>();
  private tagSpace = 1;

  constructor(
    private readonly root: XmlElement,
    private readonly source: string,
  ) {}

  private fail(detail: string, element?: XmlElement): never {
    throw new DictionaryError(this.source, element !== undefined ? `${detail} (line ${element.line})` : detail);
  }

  build(): FixDictionary {
    const root = this.root;
    if (root.name !== 'fix') this.fail(`root element is <${root.name}>, expected <fix>`, root);
    const type = root.attributes.get('type') ?? 'FIX';
    if (type !== 'FIX' && type !== 'FIXT') this.fail(`<fix type="${type}">: type must be FIX or FIXT`, root);
    const major = root.attributes.get('major');
    const minor = root.attributes.get('minor');
    if (major === undefined) this.fail('<fix> has no major attribute', root);
    if (minor === undefined) this.fail('<fix> has no minor attribute', root);

    this.readFields(this.section('fields', true)!);
    for (const c of this.section('components', false)?.children ?? []) {
      if (c.name !== 'component') continue;
      const name = this.attr(c, 'name');
      if (this.components.has(name)) this.fail(`component ${name} defined twice`, c);
      this.components.set(name, c);
    }

    const header = this.readEnvelope(this.section('header', true)!, 'header');
    const trailer = this.readEnvelope(this.section('trailer', true)!, 'trailer');
    const messages: MessageDef[] = [];
    const seenTypes = new Set<string>();
    for (const m of this.section('messages', true)!.children) {
      if (m.name !== 'message') continue;
      const def = this.readMessage(m);
      if (seenTypes.has(def.msgType)) this.fail(`message type ${def.msgType} defined twice`, m);
      seenTypes.add(def.msgType);
      messages.push(def);
    }
    if (messages.length === 0) this.fail('<messages> defines no message');

    return new FixDictionary({
      source: this.source,
      beginString: `${type}.${major}.${minor}`,
      fields: [...this.fieldsByName.values()],
      headerTags: header.tags,
      headerRequired: header.required,
      headerGroups: header.groups,
      trailerTags: trailer.tags,
      trailerRequired: trailer.required,
      trailerGroups: trailer.groups,
      messages,
    });
  }

  private section(name: string, mandatory: boolean): XmlElement | undefined {
    const found = this.root.children.filter((c) => c.name === name);
    if (found.length > 1) this.fail(`<${name}> appears ${found.length} times`, found[1]);
    if (found.length === 0 && mandatory) this.fail(`<${name}> section not found`);
    return found[0];
  }

  private attr(element: XmlElement, name: string): string {
    const value = element.attributes.get(name);
    if (value === undefined || value === '') this.fail(`<${element.name}> has no ${name} attribute`, element);
    return value;
  }

  private isRequired(element: XmlElement): boolean {
    const value = element.attributes.get('required');
    return value === 'Y' || value === 'y';
  }

  private readFields(fields: XmlElement): void {
    const byNumber = new Map<number, string>();
    for (const f of fields.children) {
      if (f.name !== 'field') continue;
      const name = this.attr(f, 'name');
      const numberText = this.attr(f, 'number');
      const tag = Number(numberText);
      if (!/^\d+$/.test(numberText) || !Number.isSafeInteger(tag) || tag <= 0 || tag > 0x7fffffff) {
        this.fail(`field ${name} has number "${numberText}", expected a positive integer`, f);
      }
      const typeName = this.attr(f, 'type');
      if (this.fieldsByName.has(name)) this.fail(`field ${name} defined twice`, f);
      const other = byNumber.get(tag);
      if (other !== undefined) this.fail(`fields ${other} and ${name} both have number ${tag}`, f);
      byNumber.set(tag, name);
      let enums: EnumSet | undefined;
      const valueNames = new Map<string, string>();
      for (const v of f.children) {
        if (v.name !== 'value') continue;
        const value = v.attributes.get('enum');
        if (value === undefined) this.fail(`<value> of field ${name} has no enum attribute`, v);
        enums ??= new EnumSet();
        enums.add(value);
        const description = v.attributes.get('description');
        if (description !== undefined) valueNames.set(value, description);
      }
      this.fieldsByName.set(name, { tag, name, typeName, type: fieldTypeFromXml(typeName), enums, valueNames });
      this.tagSpace = Math.max(this.tagSpace, tag + 1);
    }
    if (this.fieldsByName.size === 0) this.fail('<fields> defines no field', fields);
  }

  private tagOf(element: XmlElement, where: string): number {
    const name = this.attr(element, 'name');
    const field = this.fieldsByName.get(name);
    if (field === undefined) this.fail(`${where} uses field ${name}, which <fields> does not define`, element);
    return field.tag;
  }

  private component(element: XmlElement, where: string): XmlElement {
    const name = this.attr(element, 'name');
    const c = this.components.get(name);
    if (c === undefined) this.fail(`${where} uses component ${name}, which <components> does not define`, element);
    return c;
  }

  private readEnvelope(
    section: XmlElement,
    what: 'header' | 'trailer',
  ): { tags: number[]; required: number[]; groups: Map<number, GroupDef> } {
    const tags: number[] = [];
    const required: number[] = [];
    const groups = new Map<number, GroupDef>();
    for (const child of section.children) {
      if (child.name !== 'field' && child.name !== 'group') continue;
      const tag = this.tagOf(child, `<${what}>`);
      tags.push(tag);
      if (this.isRequired(child)) required.push(tag);
      if (child.name === 'group') groups.set(tag, this.readGroup(child, `<${what}>`, []));
    }
    return { tags, required, groups };
  }

  private readMessage(m: XmlElement): MessageDef {
    const name = this.attr(m, 'name');
    const msgType = this.attr(m, 'msgtype');
    const where = `message ${name}`;
    const category = m.attributes.get('msgcat');
    const isAdmin = category !== undefined ? category === 'admin' : ADMIN_MSG_TYPES.has(msgType);
    const allowed = new Uint8Array(this.tagSpace);
    const required: number[] = [];
    const groups = new Map<number, GroupDef>();
    const order: number[] = [];
    const walk = (children: readonly XmlElement[], requiredHere: boolean, path: string[]): void => {
      for (const child of children) {
        if (child.name === 'field' || child.name === 'group') {
          const tag = this.tagOf(child, where);
          if (allowed[tag] === 1) this.fail(`${where} lists field ${child.attributes.get('name')} twice`, child);
          allowed[tag] = 1;
          order.push(tag);
          if (requiredHere && this.isRequired(child)) required.push(tag);
          if (child.name === 'group') groups.set(tag, this.readGroup(child, where, path));
        } else if (child.name === 'component') {
          const c = this.component(child, where);
          const cname = c.attributes.get('name')!;
          if (path.includes(cname)) this.fail(`component ${cname} includes itself`, child);
          walk(c.children, requiredHere && this.isRequired(child), [...path, cname]);
        }
      }
    };
    walk(m.children, true, []);
    const groupMask = new Uint8Array(this.tagSpace);
    for (const tag of groups.keys()) groupMask[tag] = 1;
    return new MessageDef(
      msgType,
      name,
      isAdmin ? 'admin' : 'app',
      allowed,
      Int32Array.from(required).sort(),
      groupMask,
      groups,
      Int32Array.from(order),
    );
  }

  /** One GroupDef per <group> element: its meaning does not depend on where the element is used. */
  private readGroup(g: XmlElement, where: string, path: string[]): GroupDef {
    const cached = this.groupCache.get(g);
    if (cached !== undefined) return cached;
    const countTag = this.tagOf(g, where);
    const name = g.attributes.get('name')!;
    const groupRequired = this.isRequired(g);
    const rank = new Int16Array(this.tagSpace);
    const members: number[] = [];
    const required: number[] = [];
    const nested = new Map<number, GroupDef>();
    let delimiter = 0;
    const addMember = (tag: number, element: XmlElement): void => {
      if (rank[tag] !== 0) this.fail(`group ${name} lists field ${element.attributes.get('name')} twice`, element);
      members.push(tag);
      rank[tag] = members.length;
    };
    // Component fields inside a group: members, never required; a nested group keeps its own flag.
    const addComponent = (c: XmlElement, cpath: string[]): number => {
      let first = 0;
      for (const child of c.children) {
        if (child.name === 'field' || child.name === 'group') {
          const tag = this.tagOf(child, `component ${c.attributes.get('name')}`);
          addMember(tag, child);
          if (first === 0) first = tag;
          if (child.name === 'group') nested.set(tag, this.readGroup(child, where, cpath));
        } else if (child.name === 'component') {
          const inner = this.component(child, `component ${c.attributes.get('name')}`);
          const iname = inner.attributes.get('name')!;
          if (cpath.includes(iname)) this.fail(`component ${iname} includes itself`, child);
          addComponent(inner, [...cpath, iname]);
        }
      }
      return first;
    };
    for (const child of g.children) {
      let candidate = 0;
      if (child.name === 'field' || child.name === 'group') {
        const tag = this.tagOf(child, `group ${name}`);
        addMember(tag, child);
        if (groupRequired && this.isRequired(child)) required.push(tag);
        if (child.name === 'group') nested.set(tag, this.readGroup(child, where, path));
        candidate = tag;
      } else if (child.name === 'component') {
        const c = this.component(child, `group ${name}`);
        const cname = c.attributes.get('name')!;
        if (path.includes(cname)) this.fail(`component ${cname} includes itself`, child);
        candidate = addComponent(c, [...path, cname]);
      }
      // QuickFIX: the delimiter is the first direct field of the group (or of its first component).
      if (delimiter === 0) delimiter = candidate;
    }
    if (members.length === 0) this.fail(`group ${name} has no fields`, g);
    if (delimiter === 0) delimiter = members[0]!;
    const def = new GroupDef(
      countTag,
      name,
      delimiter,
      groupRequired,
      rank,
      Int32Array.from(members),
      Int32Array.from(required).sort(),
      nested,
    );
    this.groupCache.set(g, def);
    return def;
  }
}
