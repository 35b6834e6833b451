/**
 * The lead classification as a grid: one row per rule, one column per criterion, the class it
 * gives at the end; the coverage problems crmtrain check finds (leads no rule classifies,
 * rules that can never apply) under the grid and at their rows.
 */

import { FieldProps } from '@rjsf/utils';
import * as React from 'react';

import { IContext } from './fields';

function NoField(): null {
  return null;
}

type Rule = { id?: string; when?: Record<string, unknown>; then?: string; note?: string };

function Cell(props: { criterion: any; value: unknown; any: string; onChange: (v: unknown) => void; label: string }): JSX.Element {
  const { criterion, value } = props;
  if (criterion.type === 'choice' || criterion.type === 'bool') {
    const values: [string, unknown][] =
      criterion.type === 'bool'
        ? [['true', true], ['false', false]]
        : (criterion.values ?? []).map((v: string) => [v, v]);
    const labels = criterion.value_labels ?? {};
    const current = Array.isArray(value) ? String(value[0]) : value === undefined ? '' : String(value);
    return (
      <select aria-label={props.label} value={current}
        onChange={e => props.onChange(e.target.value === '' ? undefined : values.find(v => v[0] === e.target.value)?.[1])}>
        <option value="">{props.any}</option>
        {values.map(([key]) => (
          <option key={key} value={key}>{labels[key] ?? key}</option>
        ))}
      </select>
    );
  }
  return (
    <input type="text" aria-label={props.label} className="form-control" placeholder={props.any} value={value === undefined ? '' : String(value)}
      onChange={e => props.onChange(e.target.value === '' ? undefined : e.target.value)} />
  );
}

/** The lead classification: its other fields as a form, its rules as a grid. */
export function LeadTableField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const words = context.words;
  const value = props.formData ?? {};
  const criteria: any[] = value.criteria ?? [];
  const classes: any[] = value.classes ?? [];
  const rules: Rule[] = value.rules ?? [];
  const errors = props.errorSchema ?? {};
  const setRules = (next: Rule[]) => props.onChange({ ...value, rules: next });
  const setRule = (i: number, rule: Rule) => setRules(rules.map((r, j) => (j === i ? rule : r)));
  const setWhen = (i: number, name: string, v: unknown) => {
    const when = { ...(rules[i].when ?? {}) };
    if (v === undefined) {
      delete when[name];
    } else {
      when[name] = v;
    }
    setRule(i, { ...rules[i], when });
  };
  const { ObjectField } = props.registry.fields;
  const ui = { ...props.uiSchema, rules: { 'ui:field': NoField } }; // drawn as the grid below
  delete ui['ui:field'];
  const rowErrors = (i: number): string[] => {
    const e = (errors as any).rules?.[i];
    if (!e) {
      return [];
    }
    return Object.values<any>(e).flatMap(x => (Array.isArray(x) ? x : x?.__errors ?? []));
  };
  return (
    <div className="crmtrain-editor-leadtable">
      <ObjectField {...props} uiSchema={ui} />
      <table className="crmtrain-editor-grid">
        <thead>
          <tr>
            <th>{words.rule}</th>
            {criteria.map(c => (
              <th key={c.name ?? c.label}>{c.label ?? c.name}</th>
            ))}
            <th>{props.schema.properties?.classes ? (props.schema.properties.classes as any).title : ''}</th>
            <th>{words.note}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, i) => (
            <React.Fragment key={i}>
              <tr>
                <td>{i + 1}</td>
                {criteria.map(c => (
                  <td key={c.name}>
                    <Cell criterion={c} value={rule.when?.[c.name]} any={words.any}
                      label={`${words.rule} ${i + 1}: ${c.label ?? c.name}`} onChange={v => setWhen(i, c.name, v)} />
                  </td>
                ))}
                <td>
                  <select aria-label={`${words.rule} ${i + 1}: →`} value={rule.then ?? ''} onChange={e => setRule(i, { ...rule, then: e.target.value })}>
                    <option value="" />
                    {classes.map(k => (
                      <option key={k.id} value={k.id}>{k.name ?? k.id}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <input type="text" className="form-control" aria-label={`${words.rule} ${i + 1}: ${words.note}`} value={rule.note ?? ''}
                    onChange={e => setRule(i, { ...rule, note: e.target.value === '' ? undefined : e.target.value })} />
                </td>
                <td>
                  <button type="button" className="jp-mod-styled" aria-label={`${words.remove} ${i + 1}`}
                    onClick={() => setRules(rules.filter((_, j) => j !== i))}>✕</button>
                </td>
              </tr>
              {rowErrors(i).length ? (
                <tr className="crmtrain-editor-row-errors">
                  <td colSpan={criteria.length + 4} className="text-danger">{rowErrors(i).join('; ')}</td>
                </tr>
              ) : null}
            </React.Fragment>
          ))}
        </tbody>
      </table>
      <button type="button" className="jp-mod-styled crmtrain-editor-add-rule"
        onClick={() => {
          const taken = new Set(rules.map(r => r.id));
          let n = rules.length + 1;
          while (taken.has(`rule-${n}`)) {
            n++;
          }
          setRules([...rules, { id: `rule-${n}`, when: {}, then: classes[0]?.id }]);
        }}>
        {`${words.add}: ${words.rule}`}
      </button>
      {((errors as any).rules?.__errors ?? []).map((e: string) => (
        <div key={e} className="text-danger crmtrain-editor-error">{e}</div>
      ))}
    </div>
  );
}
