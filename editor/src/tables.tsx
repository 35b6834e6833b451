/**
 * Lists of small items as tables: one row per item, one typed cell per field (text, number,
 * date, time, a pick list with the values' labels, a tick box, a deadline as a number and its
 * unit), rows added, removed and moved with buttons. Used for contact deadlines, tasks, a
 * pipeline's statuses and fields, the calendar's dates — any list the uiSchema marks 'table'.
 *
 * Columns come from the item's schema (ids are made from titles by the server, so they are
 * not shown); a cell's id is the one rjsf would give the field, so a problem's link finds it.
 * The problems crmtrain check finds for a row or a cell are shown under it.
 */

import { FieldProps } from '@rjsf/utils';
import * as React from 'react';

import { IContext } from './fields';
import { MULTILINE, resolve } from './model';

/** Every message under an error schema node, its children's included. */
export function messages(node: any): string[] {
  if (!node || typeof node !== 'object') {
    return [];
  }
  return Object.entries<any>(node).flatMap(([key, value]) => (key === '__errors' ? value : messages(value)));
}

/** A pick list of an enum's values, each shown by its label (the server's `x-labels`). */
export function EnumSelect(props: { id: string; schema: any; value: unknown; label: string; onChange: (v: unknown) => void }): JSX.Element {
  const labels = props.schema['x-labels'] ?? {};
  return (
    <select id={props.id} aria-label={props.label} value={props.value === undefined ? '' : String(props.value)}
      onChange={e => props.onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="" />
      {(props.schema.enum ?? []).map((v: string) => (
        <option key={v} value={v}>{labels[v] ?? v}</option>
      ))}
    </select>
  );
}

/** A deadline: a number and its unit (exactly one of the object's integer fields). */
function DeadlineCell(props: { id: string; schema: any; value: any; label: string; onChange: (v: unknown) => void }): JSX.Element {
  const units = Object.entries<any>(props.schema.properties ?? {});
  const current = Object.keys(props.value ?? {}).find(k => props.schema.properties?.[k]) ?? units[0]?.[0];
  const amount = props.value?.[current];
  const set = (unit: string, n: string) => props.onChange(n === '' ? undefined : { [unit]: Number(n) });
  return (
    <span className="crmtrain-editor-deadline">
      <input id={props.id} type="number" min={1} aria-label={props.label} value={amount ?? ''}
        onChange={e => set(current, e.target.value)} />
      <select aria-label={`${props.label}: ${units.map(u => u[1].title).join(' / ')}`} value={current}
        onChange={e => set(e.target.value, amount === undefined ? '' : String(amount))}>
        {units.map(([unit, s]) => (
          <option key={unit} value={unit}>{s.title ?? unit}</option>
        ))}
      </select>
    </span>
  );
}

/** One cell, by its field's schema. */
export function Cell(props: { id: string; name: string; schema: any; root: any; value: any; label: string; onChange: (v: unknown) => void }): JSX.Element {
  const schema = resolve(props.root, props.schema);
  const { id, label, value } = props;
  const text = (v: string) => props.onChange(v === '' ? undefined : v);
  if (schema.enum) {
    return <EnumSelect id={id} schema={schema} value={value} label={label} onChange={props.onChange} />;
  }
  if (schema.type === 'object' && Object.values<any>(schema.properties ?? {}).every(p => p.type === 'integer')) {
    return <DeadlineCell id={id} schema={schema} value={value} label={label} onChange={props.onChange} />;
  }
  if (schema.type === 'boolean') {
    return <input id={id} type="checkbox" aria-label={label} checked={value === true} onChange={e => props.onChange(e.target.checked)} />;
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return (
      <input id={id} type="number" aria-label={label} className="form-control" value={value ?? ''}
        onChange={e => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))} />
    );
  }
  if (schema.format === 'date') {
    return <input id={id} type="date" aria-label={label} value={value ?? ''} onChange={e => text(e.target.value)} />;
  }
  if (MULTILINE.has(props.name)) {
    return <textarea id={id} aria-label={label} className="form-control" rows={2} value={value ?? ''} onChange={e => text(e.target.value)} />;
  }
  return <input id={id} type="text" aria-label={label} className="form-control" value={value ?? ''} onChange={e => text(e.target.value)} />;
}

/** The buttons of a row: up, down, remove. */
export function RowButtons(props: { i: number; count: number; label: string; words: Record<string, string>; move: (i: number, by: number) => void; remove: (i: number) => void }): JSX.Element {
  const { i, words } = props;
  return (
    <td className="crmtrain-editor-row-buttons">
      <button type="button" className="jp-mod-styled" disabled={i === 0} aria-label={`${words.up}: ${props.label}`} onClick={() => props.move(i, -1)}>↑</button>
      <button type="button" className="jp-mod-styled" disabled={i === props.count - 1} aria-label={`${words.down}: ${props.label}`} onClick={() => props.move(i, 1)}>↓</button>
      <button type="button" className="jp-mod-styled" aria-label={`${words.remove}: ${props.label}`} onClick={() => props.remove(i)}>✕</button>
    </td>
  );
}

/** A list as a table (the uiSchema's 'ui:field': 'table'). */
export function TableField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const words = context.words;
  const root = props.registry.rootSchema;
  const item = resolve(root, props.schema.items);
  const scalar = !item.properties;
  const columns: [string, any][] = scalar ? [['', item]] : Object.entries<any>(item.properties).filter(([name]) => name !== 'id');
  const rows: any[] = Array.isArray(props.formData) ? props.formData : [];
  const base = props.idSchema.$id;
  const errors: any = props.errorSchema ?? {};
  const title = props.schema.title ?? props.name;
  const set = (next: any[]) => props.onChange(next);
  const setCell = (i: number, name: string, v: unknown) => {
    if (scalar) {
      return set(rows.map((r, j) => (j === i ? v : r)));
    }
    const row = { ...(rows[i] ?? {}) };
    if (v === undefined) {
      delete row[name];
    } else {
      row[name] = v;
    }
    set(rows.map((r, j) => (j === i ? row : r)));
  };
  const move = (i: number, by: number) => {
    const next = [...rows];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    set(next);
  };
  return (
    <div className="form-group field crmtrain-editor-table" id={base} tabIndex={-1}>
      <label className="control-label">{title}</label>
      {props.schema.description ? <p className="field-description">{props.schema.description}</p> : null}
      <table className="crmtrain-editor-grid">
        <thead>
          <tr>
            <th>№</th>
            {columns.map(([name, s]) => (
              <th key={name} title={resolve(root, s).description ?? s.description}>{name ? s.title ?? name : title}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const rowErrors = errors[i] ?? {};
            const cells = columns.map(([name, s]) => {
              const label = `${title} ${i + 1}${name ? `: ${s.title ?? name}` : ''}`;
              const own = name ? messages(rowErrors[name]) : messages(rowErrors);
              return (
                <td key={name} className={own.length ? 'crmtrain-mod-invalid' : ''}>
                  <Cell id={name ? `${base}_${i}_${name}` : `${base}_${i}`} name={name} schema={s} root={root}
                    value={name ? row?.[name] : row} label={label} onChange={v => setCell(i, name, v)} />
                  {own.map(e => <div key={e} className="text-danger crmtrain-editor-error">{e}</div>)}
                </td>
              );
            });
            const rowLevel: string[] = scalar ? [] : rowErrors.__errors ?? [];
            return (
              <React.Fragment key={i}>
                <tr id={scalar ? undefined : `${base}_${i}`} tabIndex={-1}>
                  <td>{i + 1}</td>
                  {cells}
                  <RowButtons i={i} count={rows.length} label={`${title} ${i + 1}`} words={words} move={move} remove={n => set(rows.filter((_, j) => j !== n))} />
                </tr>
                {rowLevel.length ? (
                  <tr className="crmtrain-editor-row-errors"><td colSpan={columns.length + 2} className="text-danger">{rowLevel.join('; ')}</td></tr>
                ) : null}
              </React.Fragment>
            );
          })}
        </tbody>
      </table>
      <button type="button" className="jp-mod-styled crmtrain-editor-add-row" onClick={() => set([...rows, scalar ? undefined : {}])}>
        {`+ ${words.add}: ${title}`}
      </button>
      {(errors.__errors ?? []).map((e: string) => <div key={e} className="text-danger crmtrain-editor-error">{e}</div>)}
    </div>
  );
}
