/**
 * The editor's server API (crmtrain.editor.handlers): load, check and save a regulation.
 */

import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** One problem of the regulation, at a JSON pointer into its data. */
export interface IProblem {
  pointer: string;
  message: string;
  severity: 'error' | 'todo';
  fix: unknown;
}

/** What the server says after an edit. */
export interface IChecked {
  problems: IProblem[];
  ids: { pointer: string; value: string }[];
  diagrams: Record<string, string>;
  asked: Record<string, IAsked>;
  items: [string, string][] | null;
  ms: number;
}

/** What each trainee is asked in one assessment. */
export interface IAsked {
  everyone: string[];
  drawn: string[];
  slots: string[];
  uncovered: string[];
}

/** A question type as crmtrain's registry describes it. */
export interface IKind {
  options: boolean;
  tolerance: boolean;
  key: string | null;
}

/** The regulation as the server sends it. */
export interface ILoaded extends IChecked {
  path: string;
  digest: string;
  lang: string;
  data: Record<string, any>;
  schema: Record<string, any>;
  words: Record<string, string>;
  kinds: Record<string, IKind>;
}

async function call(path: string, init: RequestInit = {}, query: Record<string, string> = {}): Promise<any> {
  const settings = ServerConnection.makeSettings();
  const search = new URLSearchParams(query).toString();
  const url = URLExt.join(settings.baseUrl, 'crmtrain-editor', path) + (search ? `?${search}` : '');
  const response = await ServerConnection.makeRequest(url, init, settings);
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const error = new Error(body.error || body.message || response.statusText) as Error & { status?: number };
    error.status = response.status;
    throw error;
  }
  return body;
}

export function load(path: string): Promise<ILoaded> {
  return call('regulation', {}, { path });
}

export function check(data: unknown): Promise<IChecked> {
  return call('check', { method: 'POST', body: JSON.stringify({ data }) });
}

export function save(path: string, data: unknown, digest: string): Promise<{ digest: string; changed: boolean }> {
  return call('regulation', { method: 'PUT', body: JSON.stringify({ data, digest }) }, { path });
}

export function digest(path: string): Promise<{ digest: string }> {
  return call('digest', {}, { path });
}

export function tryQuestion(path: string, data: unknown, question: unknown): Promise<{ notebook: string }> {
  return call('try', { method: 'POST', body: JSON.stringify({ path, data, question }) });
}

export function trySlot(path: string, data: unknown, assessment: string, slot: unknown): Promise<{ notebook: string }> {
  return call('try', { method: 'POST', body: JSON.stringify({ path, data, assessment, slot }) });
}
