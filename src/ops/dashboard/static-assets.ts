// The dashboard's files (one page, its script and stylesheet), read once at start and served from memory with
// an ETag. Nothing comes from a CDN: the page works on a machine without internet access.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/assets/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/assets/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

/** The assets by URL path. The build copies src/ops/dashboard/assets next to the compiled module. */
export function loadAssets(dir: URL = new URL('./assets/', import.meta.url)): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(fileURLToPath(new URL(file, dir)));
    assets.set(path, { body, type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
  }
  return assets;
}
