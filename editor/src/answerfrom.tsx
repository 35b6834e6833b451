/**
 * "The correct answer from the rules" (a question's `answer_from`): which rule gives the key —
 * a contact deadline, the class of a lead, an allowed transition, a process's next step — and
 * that rule's own terms, each picked from what the regulation has, in its own words. The kinds
 * and their names come from the schema (the AnswerFrom model), so a new kind appears here.
 */

import { FieldProps } from '@rjsf/utils';
import * as React from 'react';

import { IContext } from './fields';
import { messages } from './tables';

type Choices = [string, string][];

function Pick(props: { id: string; label: string; value: unknown; choices: Choices; onChange: (v: string | undefined) => void }): JSX.Element {
  return (
    <label className="crmtrain-editor-inline">
      {props.label}{' '}
      <select id={props.id} aria-label={props.label} value={props.value === undefined ? '' : String(props.value)}
        onChange={e => props.onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="" />
        {props.choices.map(([id, text]) => <option key={id} value={id}>{text || id}</option>)}
      </select>
    </label>
  );
}

const named = (list: any[] | undefined, label: string): Choices =>
  (list ?? []).filter(x => x?.id).map(x => [x.id, x[label] ?? x.id]);

/** The pipelines of the regulation, one or several. */
function pipelines(data: any): any[] {
  const work = data.client_work ?? {};
  return Array.isArray(work.pipelines) && work.pipelines.length ? work.pipelines : work.pipeline ? [work.pipeline] : [];
}

/** The terms of one kind of rule. */
function Terms(props: { kind: string; base: string; value: any; data: any; schema: any; words: Record<string, string>; set: (v: unknown) => void }): JSX.Element | null {
  const { kind, base, value, data, schema, words } = props;
  const sub = schema.properties?.[kind] ?? {};
  const title = (key: string) => sub.properties?.[key]?.title ?? key;
  const setKey = (key: string, v: unknown) => {
    const next = { ...(value ?? {}) };
    if (v === undefined) {
      delete next[key];
    } else {
      next[key] = v;
    }
    props.set(next);
  };
  if (kind === 'contact_deadline') {
    return <Pick id={`${base}_${kind}`} label={sub.title ?? kind} value={value} choices={named(data.client_work?.contact_timing?.rules, 'event')} onChange={props.set} />;
  }
  if (kind === 'transition') {
    const all = pipelines(data);
    const chosen = all.find(p => p.id === value?.pipeline) ?? (all.length === 1 ? all[0] : undefined);
    const statuses = named(chosen?.statuses, 'name');
    return (
      <div>
        {all.length > 1 ? <Pick id={`${base}_${kind}_pipeline`} label={title('pipeline')} value={value?.pipeline} choices={named(all, 'title')} onChange={v => setKey('pipeline', v)} /> : null}
        <Pick id={`${base}_${kind}_from`} label={title('from')} value={value?.from} choices={statuses} onChange={v => setKey('from', v)} />
        <Pick id={`${base}_${kind}_to`} label={title('to')} value={value?.to} choices={statuses} onChange={v => setKey('to', v)} />
      </div>
    );
  }
  if (kind === 'next_step') {
    const processes = data.order_processing?.processes ?? [];
    const process = processes.find((p: any) => p?.id === value?.process);
    const step = (process?.steps ?? []).find((s: any) => s?.id === value?.step);
    const branches: Choices = (step?.branches ?? []).filter((b: any) => b?.label).map((b: any) => [b.label, b.label]);
    return (
      <div>
        <Pick id={`${base}_${kind}_process`} label={title('process')} value={value?.process} choices={named(processes, 'title')} onChange={v => props.set(v ? { process: v } : undefined)} />
        <Pick id={`${base}_${kind}_step`} label={title('step')} value={value?.step} choices={named(process?.steps, 'label')} onChange={v => setKey('step', v)} />
        {branches.length ? <Pick id={`${base}_${kind}_branch`} label={title('branch')} value={value?.branch} choices={branches} onChange={v => setKey('branch', v)} /> : null}
      </div>
    );
  }
  if (kind === 'lead') {
    const criteria: any[] = data.client_work?.lead_classification?.criteria ?? [];
    return (
      <div>
        {criteria.filter(c => c?.name).map(c => {
          const id = `${base}_${kind}_${c.name}`;
          if (c.type === 'number') {
            return (
              <label key={c.name} className="crmtrain-editor-inline">{c.label ?? c.name}{' '}
                <input id={id} type="number" aria-label={c.label ?? c.name} value={value?.[c.name] ?? ''}
                  onChange={e => setKey(c.name, e.target.value === '' ? undefined : Number(e.target.value))} />
              </label>
            );
          }
          const values: Choices = c.type === 'bool' ? [['true', words.yes], ['false', words.no]] : (c.values ?? []).map((v: string) => [v, c.value_labels?.[v] ?? v]);
          return <Pick key={c.name} id={id} label={c.label ?? c.name} value={value?.[c.name]} choices={values}
            onChange={v => setKey(c.name, c.type === 'bool' && v !== undefined ? v === 'true' : v)} />;
        })}
      </div>
    );
  }
  return null;
}

/** A question's answer_from: the kind of rule, then its terms. */
export function AnswerFromField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const value = props.formData ?? {};
  const kinds: Choices = Object.entries<any>(props.schema.properties ?? {}).map(([k, s]) => [k, s.title ?? k]);
  const kind = Object.keys(value).find(k => props.schema.properties?.[k]);
  const base = props.idSchema.$id;
  return (
    <div className="form-group field crmtrain-editor-answer-from" id={base}>
      <label className="control-label" htmlFor={`${base}_kind`}>{props.schema.title}</label>
      {props.schema.description ? <p className="field-description">{props.schema.description}</p> : null}
      <select id={`${base}_kind`} value={kind ?? ''} onChange={e => props.onChange(e.target.value ? { [e.target.value]: undefined } : undefined)}>
        <option value="">{context.words.answerWritten}</option>
        {kinds.map(([k, text]) => <option key={k} value={k}>{text}</option>)}
      </select>
      {kind ? (
        <Terms kind={kind} base={base} value={value[kind]} data={context.data()} schema={props.schema} words={context.words}
          set={v => props.onChange({ [kind]: v })} />
      ) : null}
      {messages(props.errorSchema).map(e => <div key={e} className="text-danger crmtrain-editor-error">{e}</div>)}
    </div>
  );
}
