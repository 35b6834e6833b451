/**
 * A deal pipeline: its statuses and fields as tables, its allowed transitions as a matrix —
 * a row per status the deal leaves, a column per status it enters, a tick per allowed
 * transition with the fields it requires — and its state diagram redrawn beside it.
 *
 * The file keeps its list of transitions: ticking a cell appends one, unticking removes it,
 * and a transition's note survives a change of its required fields. A transition naming a
 * status the pipeline does not have (a typo in the file) is listed under the matrix.
 */

import { FieldProps } from '@rjsf/utils';
import * as React from 'react';

import { choice, Diagram, IContext } from './fields';
import { messages } from './tables';

type Transition = { from?: string; to?: string; requires?: string[]; note?: string };
type Named = { id?: string; name?: string; label?: string };

function NoField(): null {
  return null;
}

/** One cell of the matrix: allowed or not, and the fields the transition requires. */
function MatrixCell(props: {
  id: string; label: string; fields: Named[]; transition?: Transition; errors: string[];
  toggle: () => void; setRequires: (requires: string[]) => void;
}): JSX.Element {
  const { transition, fields } = props;
  const requires = new Set(transition?.requires ?? []);
  return (
    <td className={`crmtrain-editor-matrix-cell${transition ? ' crmtrain-mod-allowed' : ''}${props.errors.length ? ' crmtrain-mod-invalid' : ''}`}
      title={props.errors.join('\n') || undefined}>
      <input id={props.id} type="checkbox" aria-label={props.label} checked={!!transition} onChange={props.toggle} />
      {transition
        ? fields.filter(f => f.id).map(f => (
          <label key={f.id} className="crmtrain-editor-choice">
            <input type="checkbox" id={`${props.id}_${f.id}`} aria-label={`${props.label}: ${f.label ?? f.id}`} checked={requires.has(f.id!)}
              onChange={e => props.setRequires(fields.map(x => x.id!).filter(x => (x === f.id ? e.target.checked : requires.has(x))))} />
            {f.label ?? f.id}
          </label>
        ))
        : null}
      {props.errors.map(e => <div key={e} className="text-danger crmtrain-editor-error">{e}</div>)}
    </td>
  );
}

/** The transitions as a from × to matrix. */
export function TransitionMatrix(props: { base: string; value: any; errors: any; words: Record<string, string>; title: string; onChange: (t: Transition[]) => void }): JSX.Element {
  const statuses: Named[] = (props.value.statuses ?? []).filter((s: Named) => s?.id);
  const fields: Named[] = props.value.fields ?? [];
  const transitions: Transition[] = props.value.transitions ?? [];
  const at = (from: string, to: string) => transitions.findIndex(t => t.from === from && t.to === to);
  const known = new Set(statuses.map(s => s.id));
  const name = (s: Named) => s.name || s.id || '';
  const toggle = (from: string, to: string) => {
    const i = at(from, to);
    props.onChange(i >= 0 ? transitions.filter((_, j) => j !== i) : [...transitions, { from, to }]);
  };
  const setRequires = (i: number, requires: string[]) =>
    props.onChange(transitions.map((t, j) => (j === i ? { ...t, requires } : t)));
  const stray = transitions.map((t, i) => [t, i] as [Transition, number]).filter(([t]) => !known.has(t.from) || !known.has(t.to));
  return (
    <div className="form-group field crmtrain-editor-matrix" id={`${props.base}_transitions`} tabIndex={-1}>
      <label className="control-label">{props.title}</label>
      <p className="field-description">{props.words.transitions}</p>
      <table className="crmtrain-editor-grid">
        <thead>
          <tr>
            <th>{`${props.words.from} \\ ${props.words.to}`}</th>
            {statuses.map(s => <th key={s.id} scope="col">{name(s)}</th>)}
          </tr>
        </thead>
        <tbody>
          {statuses.map((from, r) => (
            <tr key={from.id}>
              <th scope="row">{name(from)}</th>
              {statuses.map((to, c) => {
                if (from.id === to.id) {
                  return <td key={to.id} className="crmtrain-editor-matrix-self" />;
                }
                const i = at(from.id!, to.id!);
                return (
                  <MatrixCell key={to.id} id={i >= 0 ? `${props.base}_transitions_${i}` : `${props.base}_matrix_${r}_${c}`} label={`${name(from)} → ${name(to)}`}
                    fields={fields} transition={i >= 0 ? transitions[i] : undefined} errors={i >= 0 ? messages(props.errors?.[i]) : []}
                    toggle={() => toggle(from.id!, to.id!)} setRequires={req => setRequires(i, req)} />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {stray.map(([t, i]) => (
        <div key={i} className="text-danger crmtrain-editor-error">
          {`${t.from ?? '?'} → ${t.to ?? '?'}: ${[props.words.unknownStatus, ...messages(props.errors?.[i])].join('; ')} `}
          <button type="button" className="jp-mod-styled" onClick={() => props.onChange(transitions.filter((_, j) => j !== i))}>{props.words.remove}</button>
        </div>
      ))}
      {(props.errors?.__errors ?? []).map((e: string) => <div key={e} className="text-danger crmtrain-editor-error">{e}</div>)}
    </div>
  );
}

/** A pipeline: its form (statuses and fields as tables), the transition matrix, its diagram. */
export function PipelineField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const value = props.formData ?? {};
  const statuses: [string, string][] = (value.statuses ?? []).filter((s: Named) => s?.id).map((s: Named) => [s.id, s.name ?? s.id]);
  const ui: any = { ...props.uiSchema, initial: choice(statuses, props.uiSchema?.initial), transitions: { 'ui:field': NoField } };
  delete ui['ui:field'];
  const { ObjectField } = props.registry.fields;
  const title = (props.schema.properties?.transitions as any)?.title ?? 'transitions';
  return (
    <div className="crmtrain-editor-split">
      <div>
        <ObjectField {...props} uiSchema={ui} />
        <TransitionMatrix base={props.idSchema.$id} value={value} errors={(props.errorSchema as any)?.transitions} words={context.words}
          title={title} onChange={transitions => props.onChange({ ...value, transitions })} />
      </div>
      <Diagram source={context.diagrams[value.id ?? '']} context={context} title={context.words.stateDiagram} />
    </div>
  );
}
