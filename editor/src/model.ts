/**
 * Pure helpers over the regulation's data and schema: JSON pointers, the forms' uiSchema
 * (derived from the schema, so new fields of the format appear without changes here) and
 * the problems as rjsf error schemas.
 */

import { IProblem } from './api';

/** "/a/0/b" -> ["a", 0, "b"] (RFC 6901). */
export function parsePointer(pointer: string): (string | number)[] {
  if (!pointer) {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(p => (/^\d+$/.test(p) ? Number(p) : p));
}

/** A copy of `data` with the value at `path` set (containers on the way created). */
export function setIn(data: any, path: (string | number)[], value: unknown): any {
  if (path.length === 0) {
    return value;
  }
  const [head, ...rest] = path;
  const copy: any = Array.isArray(data) ? [...data] : { ...(data ?? {}) };
  copy[head] = setIn(copy[head], rest, value);
  return copy;
}

export function getIn(data: any, path: (string | number)[]): any {
  return path.reduce((node, part) => (node == null ? undefined : node[part]), data);
}

/** Texts that are paragraphs rather than one line. */
export const MULTILINE = new Set(['body', 'intro', 'instructions', 'explanation', 'description', 'text', 'note', 'action']);
/** Texts written in Markdown, shown with a preview. */
const MARKDOWN = new Set(['body', 'intro']);
/** Which field of an item its title is: the item's heading in lists. */
export const NAMED_BY = ['title', 'label', 'name', 'text', 'event', 'case', 'task', 'when'];

/** Follow $ref; of "X or null", X. */
export function resolve(root: any, node: any): any {
  let current = node ?? {};
  for (let i = 0; i < 20; i++) {
    if (current.$ref) {
      current = root.$defs[current.$ref.split('/').pop()];
    } else {
      return current;
    }
  }
  return current;
}

/** The def name a schema node refers to ("Process"), if any. */
export function defName(node: any): string | undefined {
  return node?.$ref ? String(node.$ref).split('/').pop() : undefined;
}

/**
 * The uiSchema for the form of `node`: paragraphs as text areas, Markdown with a preview, ids
 * read-only (made from titles), and the custom fields the editor has for some models.
 */
export function uiSchemaFor(root: any, node: any, key = '', depth = 0): any {
  const ui: any = {};
  const def = defName(node);
  const schema = resolve(root, node);
  if (depth > 12) {
    return ui;
  }
  if (def && CUSTOM_FIELDS[def]) {
    ui['ui:field'] = CUSTOM_FIELDS[def];
  }
  if (schema.type === 'string' && !schema.enum && !schema.format) {
    if (MARKDOWN.has(key)) {
      ui['ui:widget'] = 'markdown';
    } else if (MULTILINE.has(key)) {
      ui['ui:widget'] = 'textarea';
      ui['ui:options'] = { rows: 3 };
    }
  }
  if (key === 'id') {
    ui['ui:readonly'] = true;
  }
  if (schema.enum && schema['x-labels']) {
    ui['ui:enumNames'] = schema.enum.map((v: string) => schema['x-labels'][v] ?? v);
  }
  if (schema.properties) {
    for (const [name, prop] of Object.entries<any>(schema.properties)) {
      ui[name] = uiSchemaFor(root, prop, name, depth + 1);
    }
    if (schema.properties.answer) {
      ui.answer = { 'ui:field': 'answer' };
    }
  }
  if (schema.items) {
    ui.items = uiSchemaFor(root, schema.items, key, depth + 1);
    ui['ui:options'] = { ...(ui['ui:options'] ?? {}), orderable: true };
    const item = resolve(root, schema.items);
    if (TABLE_ROWS.has(defName(schema.items) ?? '') || item.format === 'date') {
      ui['ui:field'] = 'table';
    }
  }
  return ui;
}

/** Models drawn by a field of the editor's own rather than rjsf's default form. */
export const CUSTOM_FIELDS: Record<string, string> = {
  Process: 'process',
  Pipeline: 'pipeline',
  LeadClassification: 'leadTable',
  Question: 'question',
  Assessment: 'assessment',
  ClientWork: 'clientWork',
  Calendar: 'calendar',
  AnswerFrom: 'answerFrom'
};

/** Models whose lists are drawn as tables (a row per item, a typed cell per field). */
export const TABLE_ROWS = new Set(['TimingRule', 'TaskRule', 'Status', 'DealField']);

/** The problems under `part`, as rjsf's extraErrors (an error schema). */
export function errorSchema(problems: IProblem[], part: string): any {
  const out: any = {};
  for (const problem of problems) {
    const path = parsePointer(problem.pointer);
    if (path[0] !== part) {
      continue;
    }
    let node = out;
    for (const step of path.slice(1)) {
      node = node[step] = node[step] ?? {};
    }
    const text = problem.severity === 'todo' ? `◌ ${problem.message}` : problem.message;
    node.__errors = [...(node.__errors ?? []), text];
  }
  return out;
}

/** The DOM id rjsf gives the field at `path` inside the form of its part. */
export function fieldId(path: (string | number)[]): string {
  return ['root', ...path.slice(1)].join('_');
}
