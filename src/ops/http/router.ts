// A small method + path router: patterns like /api/sessions/:id/logout, each route with the role it needs.
// Matching is exact per segment (no regexes from outside), parameters are URL-decoded.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal, Role } from '../auth/principals.js';
import { HttpError } from './http-error.js';
import type { JsonObject } from './request-body.js';

export type Access = 'public' | Role;

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Null on public routes. */
  principal: Principal | null;
  /** The JSON body (read on first call). */
  body(): Promise<JsonObject>;
}

/** What a handler returns: a JSON body (200 unless status says otherwise), or nothing when it wrote the response itself. */
export type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | void;

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: string;
  access: Access;
  /** Changes something: audited, and never authorised by the dashboard cookie. */
  action?: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const r of routes) this.routes.push({ ...r, segments: split(r.pattern) });
    return this;
  }

  /** The route for a request; 404 when no pattern fits the path, 405 when none allows the method. */
  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (params === null) continue;
      pathMatched = true;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    }
    if (pathMatched) throw new HttpError(405, `method ${method} not allowed on ${path}`);
    throw new HttpError(404, `no such endpoint: ${path}`);
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(parts[i]!);
      } catch {
        throw new HttpError(400, `path segment ${JSON.stringify(parts[i])} is not valid URL encoding`, p.slice(1));
      }
      params[p.slice(1)] = value;
    } else if (p !== parts[i]) return null;
  }
  return params;
}
