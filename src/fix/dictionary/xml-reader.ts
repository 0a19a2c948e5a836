// A small XML reader for QuickFIX data dictionaries: elements, attributes, comments, the XML declaration and
// DOCTYPE. Text content is ignored (the dictionary format carries everything in attributes). It is written
// here rather than taken from a library because the format needs ~150 lines, and owning it lets every
// error name the line and column of the problem, which a dictionary author needs.

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** 1-based line of the element's start tag. */
  readonly line: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'XmlSyntaxError';
  }
}

interface MutableElement {
  name: string;
  attributes: Map<string, string>;
  children: MutableElement[];
  line: number;
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;

export function parseXml(text: string): XmlElement {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;

  // Line/column of an offset, counted forward from the previous answer (offsets mostly only grow).
  let seenAt = 0;
  let seenLine = 1;
  let seenLineStart = 0;
  const location = (at: number): [number, number] => {
    if (at < seenAt) {
      seenAt = 0;
      seenLine = 1;
      seenLineStart = 0;
    }
    for (let i = seenAt; i < at && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        seenLine++;
        seenLineStart = i + 1;
      }
    }
    seenAt = Math.max(seenAt, Math.min(at, text.length));
    return [seenLine, at - seenLineStart + 1];
  };
  const fail = (message: string, at = pos): never => {
    const [line, column] = location(at);
    throw new XmlSyntaxError(message, line, column);
  };
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const readName = (): string => {
    const start = pos;
    if (pos >= text.length || !NAME_START.test(text[pos]!)) fail('expected a name');
    pos++;
    while (pos < text.length && NAME_CHAR.test(text[pos]!)) pos++;
    return text.slice(start, pos);
  };
  const skipPast = (terminator: string, what: string): void => {
    const end = text.indexOf(terminator, pos);
    if (end < 0) fail(`unterminated ${what}`);
    pos = end + terminator.length;
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt < 0 ? text.length : lt;
    if (stack.length === 0 && text.slice(pos, textEnd).trim() !== '') fail('text outside the root element');
    pos = textEnd;
    if (lt < 0) break;

    if (text.startsWith('<?', pos)) {
      skipPast('?>', 'processing instruction');
    } else if (text.startsWith('<!--', pos)) {
      skipPast('-->', 'comment');
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('CDATA outside the root element');
      skipPast(']]>', 'CDATA section');
    } else if (text.startsWith('<!', pos)) {
      skipPast('>', 'declaration');
    } else if (text.startsWith('</', pos)) {
      const at = pos;
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== '>') fail(`expected ">" to close </${name}`);
      pos++;
      const open = stack.pop();
      if (open === undefined) fail(`closing tag </${name}> without an opening tag`, at);
      if (open!.name !== name) fail(`closing tag </${name}> does not match <${open!.name}> opened at line ${open!.line}`, at);
    } else {
      const at = pos;
      pos++;
      const name = readName();
      const element: MutableElement = { name, attributes: new Map(), children: [], line: location(at)[0] };
      for (;;) {
        const before = pos;
        skipSpace();
        if (text.startsWith('/>', pos)) {
          pos += 2;
          attach(element, true);
          break;
        }
        if (text[pos] === '>') {
          pos++;
          attach(element, false);
          break;
        }
        if (pos >= text.length) fail(`unterminated start tag <${name}>`, at);
        if (pos === before) fail(`expected whitespace before an attribute in <${name}>`);
        const attrAt = pos;
        const attr = readName();
        skipSpace();
        if (text[pos] !== '=') fail(`attribute ${attr} has no "=" in <${name}>`);
        pos++;
        skipSpace();
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") fail(`attribute ${attr} value must be quoted in <${name}>`);
        const close = text.indexOf(quote!, pos + 1);
        if (close < 0) fail(`unterminated value of attribute ${attr}`);
        const raw = text.slice(pos + 1, close);
        if (raw.includes('<')) fail(`"<" inside the value of attribute ${attr}`, pos + 1);
        if (element.attributes.has(attr)) fail(`duplicate attribute ${attr} in <${name}>`, attrAt);
        element.attributes.set(attr, decodeEntities(raw, () => fail(`bad entity in attribute ${attr}`, pos + 1)));
        pos = close + 1;
      }
    }
  }

  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    throw new XmlSyntaxError(`<${open.name}> opened at line ${open.line} is never closed`, ...location(text.length));
  }
  if (root === undefined) throw new XmlSyntaxError('no root element', ...location(text.length));
  return root;

  function attach(element: MutableElement, selfClosing: boolean): void {
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(element);
    else if (root === undefined) root = element;
    else fail(`second root element <${element.name}>`);
    if (!selfClosing) stack.push(element);
  }
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(raw: string, onError: () => never): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) onError();
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = NAMED_ENTITIES[name];
    if (value === undefined) onError();
    return value!;
  });
}
