// The layering rule of src/, checked on the source: which room may import which (README, Architecture). A room
// imports only the rooms below it; ports (venue/pipeline's PreTradeCheck and Router, gateway's VenuePort) let the
// composition root (app/) plug the upper rooms into the lower ones. Read from the files, not from a list kept by
// hand, so a new import that breaks the rule fails here with the file and the line.

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');

/**
 * What each room may import besides itself. An entry names a room or a folder inside one ('venue/model'); a room
 * not listed may not be imported. shared/ sits under everything and imports no room.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  shared: [],
  io: ['shared'],
  fix: ['io', 'shared'],
  venue: ['io', 'shared'],
  config: ['venue/model', 'risk/model', 'shared'],
  records: ['venue/model', 'config', 'io', 'shared'],
  risk: ['venue/model', 'config', 'shared'],
  clearing: ['venue/model', 'records', 'config', 'shared'],
  marketdata: ['fix', 'venue', 'config', 'shared'],
  routing: ['fix', 'venue', 'config', 'shared'],
  gateway: ['fix', 'venue', 'records', 'config', 'shared'],
  ops: ['fix', 'venue', 'risk', 'records', 'clearing', 'routing', 'marketdata', 'config', 'io', 'shared'],
  simulators: ['routing', 'venue', 'shared'],
  app: ['fix', 'venue', 'risk', 'records', 'clearing', 'routing', 'marketdata', 'gateway', 'ops', 'config', 'io', 'shared'],
  'main.ts': ['app', 'ops', 'config', 'shared'],
};

interface Import {
  file: string;
  line: number;
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import, re-export and dynamic import of the file, as a path under src/. */
function importsOf(file: string): Import[] {
  const out: Import[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/g;
  lines.forEach((text, i) => {
    for (const m of text.matchAll(pattern)) {
      const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]!));
      out.push({ file: path.relative(SRC, file), line: i + 1, target });
    }
  });
  return out;
}

function roomOf(relative: string): string {
  const first = relative.split(path.sep)[0]!;
  return first.endsWith('.ts') || first.endsWith('.js') ? first.replace(/\.js$/, '.ts') : first;
}

function allowed(from: string, target: string): boolean {
  const room = roomOf(from);
  if (roomOf(target) === room) return true;
  const rules = MAY_IMPORT[room];
  if (rules === undefined) return false;
  return rules.some((r) => target === r || target.startsWith(`${r}/`));
}

describe('architecture: the layering of src/', () => {
  const files = sourceFiles(SRC);
  const imports = files.flatMap(importsOf);

  it('reads the imports of every room (a check that finds none would pass for nothing)', () => {
    const rooms = new Set(files.map((f) => roomOf(path.relative(SRC, f))));
    expect([...rooms].sort()).to.deep.equal(Object.keys(MAY_IMPORT).sort());
    expect(imports.length).to.be.greaterThan(500);
    expect(imports.filter((i) => roomOf(i.file) === 'gateway' && roomOf(i.target) === 'fix').length).to.be.greaterThan(5);
  });

  it('every import follows the rule: no room imports app/ or ops/ from below, nor the simulator, nor a room above it', () => {
    const broken = imports
      .filter((i) => !allowed(i.file, i.target))
      .map((i) => `src/${i.file}:${i.line} imports src/${i.target} (${roomOf(i.file)} may import: ${MAY_IMPORT[roomOf(i.file)]?.join(', ') || 'no other room'})`);
    expect(broken).to.deep.equal([]);
  });

  it('the rule itself keeps app/ and the simulator out of reach of the product rooms', () => {
    for (const [room, rules] of Object.entries(MAY_IMPORT)) {
      if (room !== 'main.ts') expect(rules, room).to.not.include('app');
      expect(rules, room).to.not.include('simulators');
      if (room !== 'app' && room !== 'main.ts') expect(rules, room).to.not.include('gateway');
    }
    for (const low of ['fix', 'venue', 'risk', 'gateway', 'records', 'clearing', 'routing', 'marketdata', 'config', 'io', 'shared']) {
      expect(MAY_IMPORT[low], low).to.not.include('ops');
    }
  });
});
