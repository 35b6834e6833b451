/**
 * The editor's own rjsf fields and widgets, for what a plain form says badly: Markdown with a
 * preview, a process beside its flowchart, the lead classification as a grid, a question's
 * answer by its type, an assessment with what each trainee will be asked.
 *
 * Each wraps rjsf's own ObjectField for the fields it does not redraw, so fields added to the
 * format still appear. The editor passes what they need through rjsf's formContext.
 */

import { renderMarkdown, IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { FieldProps, WidgetProps } from '@rjsf/utils';
import * as React from 'react';

import { IAsked, IKind } from './api';

/** What the editor shares with its fields. */
export interface IContext {
  /** The whole regulation as edited. A function: rjsf deep-compares the context at every field. */
  data: () => Record<string, any>;
  words: Record<string, string>;
  kinds: Record<string, IKind>;
  diagrams: Record<string, string>;
  asked: Record<string, IAsked>;
  items: [string, string][];
  questions: [string, string][];
  rendermime: IRenderMimeRegistry | null;
  renderMermaid: (source: string) => Promise<string>;
  tryQuestion: (question: any) => void;
  trySlot: (assessment: string, slot: any) => void;
  openNotebook: (path: string) => void;
}

/** A Mermaid diagram, drawn by JupyterLab's own offline renderer. */
export function Diagram(props: { source?: string; context: IContext; title: string }): JSX.Element {
  const [svg, setSvg] = React.useState('');
  React.useEffect(() => {
    let live = true;
    if (props.source) {
      props.context
        .renderMermaid(props.source)
        .then(out => live && setSvg(out))
        .catch(() => undefined); // a half-written process keeps its last good drawing
    }
    return () => {
      live = false;
    };
  }, [props.source]);
  return (
    <figure className="crmtrain-editor-diagram" aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      <div dangerouslySetInnerHTML={{ __html: svg }} />
    </figure>
  );
}

/** Markdown: a text area with the rendered text beside it. */
export function MarkdownWidget(props: WidgetProps): JSX.Element {
  const context = props.formContext as IContext;
  const preview = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    const host = preview.current;
    const rendermime = context.rendermime;
    if (!host || !rendermime) {
      return;
    }
    void renderMarkdown({
      host,
      source: String(props.value ?? ''),
      trusted: false,
      sanitizer: rendermime.sanitizer,
      resolver: null,
      linkHandler: null,
      latexTypesetter: null,
      markdownParser: rendermime.markdownParser,
      shouldTypeset: false,
      translator: undefined
    });
  }, [props.value]);
  return (
    <div className="crmtrain-editor-split">
      <textarea
        id={props.id}
        className="form-control"
        rows={8}
        value={props.value ?? ''}
        disabled={props.disabled || props.readonly}
        onChange={e => props.onChange(e.target.value === '' ? undefined : e.target.value)}
      />
      <div className="crmtrain-editor-preview" aria-label={context.words.preview} ref={preview} />
    </div>
  );
}

/** A reference to another item, picked from a list of (id, title): ids are never typed. */
export function ChoiceWidget(props: WidgetProps): JSX.Element {
  const choices = ((props.options as any).choices ?? []) as [string, string][];
  const known = choices.some(c => c[0] === props.value);
  return (
    <select id={props.id} className="form-control" value={props.value ?? ''} disabled={props.disabled || props.readonly}
      onChange={e => props.onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="" />
      {known || !props.value ? null : <option value={props.value}>{props.value}</option>}
      {choices.map(([id, title]) => (
        <option key={id} value={id}>{title && title !== id ? `${title} (${id})` : id}</option>
      ))}
    </select>
  );
}

/** uiSchema that makes the field a pick list of `choices`. */
export function choice(choices: [string, string][], ui: any = {}): any {
  return { ...ui, 'ui:widget': 'choice', 'ui:options': { ...(ui?.['ui:options'] ?? {}), choices } };
}

/** uiSchema for a list of references, each picked from `choices`. */
export function choices(ui: any, list: [string, string][]): any {
  return { ...ui, items: choice(list, ui?.items) };
}

function Plain(props: FieldProps): JSX.Element {
  const { ObjectField } = props.registry.fields;
  const ui = { ...props.uiSchema };
  delete ui['ui:field'];
  return <ObjectField {...props} uiSchema={ui} />;
}

/** A process: its form, and its flowchart redrawn live beside it. */
export function DiagramField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const value = props.formData ?? {};
  const source = context.diagrams[value.id ?? ''];
  const ui: any = { ...props.uiSchema };
  const named = (list: any[], label: string): [string, string][] =>
    (list ?? []).filter(x => x?.id).map(x => [x.id, x[label] ?? x.id]);
  if (Array.isArray(value.steps)) {
    const steps = named(value.steps, 'label');
    const item = ui.steps?.items ?? {};
    const branches = item.branches ?? {};
    ui.steps = { ...ui.steps, items: { ...item, next: choice(steps, item.next), branches: { ...branches, items: { ...(branches.items ?? {}), next: choice(steps, branches.items?.next) } } } };
  }
  return (
    <div className="crmtrain-editor-split">
      <div>
        <Plain {...props} uiSchema={ui} />
      </div>
      <Diagram source={source} context={context} title={context.words.diagram} />
    </div>
  );
}

/** A question: only the fields its type uses, its answer by type, and "try it as a trainee". */
export function QuestionField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const question = props.formData ?? {};
  const kind = context.kinds[question.type] ?? { options: true, tolerance: true, key: null };
  const hidden = { 'ui:widget': 'hidden' };
  const ui = {
    ...props.uiSchema,
    refs: choices(props.uiSchema?.refs, context.items),
    options: kind.options ? props.uiSchema?.options : hidden,
    tolerance: kind.tolerance ? props.uiSchema?.tolerance : hidden,
    unit: kind.tolerance ? props.uiSchema?.unit : hidden,
    answer: {
      'ui:field': 'answer',
      'ui:options': { key: kind.key, choices: (question.options ?? []).map((o: any) => [o.id, o.text]) }
    }
  };
  delete ui['ui:field'];
  const { ObjectField } = props.registry.fields;
  return (
    <div className="crmtrain-editor-question">
      <ObjectField {...props} uiSchema={ui} />
      <button type="button" className="jp-mod-styled crmtrain-editor-try" onClick={() => context.tryQuestion(question)}>
        {context.words.tryIt}
      </button>
    </div>
  );
}

/** The correct answer, in the shape its question type keeps (crmtrain's question registry). */
export function AnswerField(props: FieldProps): JSX.Element {
  const options = (props.uiSchema?.['ui:options'] ?? {}) as { key?: string | null; choices?: [string, string][] };
  const choices = options.choices ?? [];
  const value = props.formData;
  const set = (v: unknown) => props.onChange(v);
  const id = props.idSchema.$id;
  const words = (props.formContext as IContext).words;
  let input: JSX.Element;
  switch (options.key) {
    case 'option':
      input = (
        <select id={id} className="form-control" value={value ?? ''} onChange={e => set(e.target.value || undefined)}>
          <option value="" />
          {choices.map(([cid, text]) => (
            <option key={cid} value={cid}>{`${cid}: ${text ?? ''}`}</option>
          ))}
        </select>
      );
      break;
    case 'marks': {
      const marked = new Set<string>(Array.isArray(value) ? value : []);
      input = (
        <div id={id}>
          {choices.map(([cid, text]) => (
            <label key={cid} className="crmtrain-editor-choice">
              <input
                type="checkbox"
                checked={marked.has(cid)}
                onChange={e => set(choices.map(c => c[0]).filter(c => (c === cid ? e.target.checked : marked.has(c))))}
              />
              {`${cid}: ${text ?? ''}`}
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'boolean':
      input = <input id={id} type="checkbox" checked={value === true} onChange={e => set(e.target.checked)} />;
      break;
    case 'number':
      input = (
        <input
          id={id}
          type="number"
          className="form-control"
          value={value ?? ''}
          onChange={e => set(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
      break;
    case 'order': {
      const order: string[] = Array.isArray(value) && value.length ? value : choices.map(c => c[0]);
      const move = (i: number, by: number) => {
        const next = [...order];
        [next[i], next[i + by]] = [next[i + by], next[i]];
        set(next);
      };
      const text = Object.fromEntries(choices);
      input = (
        <ol id={id}>
          {order.map((cid, i) => (
            <li key={cid}>
              {`${cid}: ${text[cid] ?? ''}`}
              <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`${words.up}: ${text[cid] ?? cid}`}>↑</button>
              <button type="button" disabled={i === order.length - 1} onClick={() => move(i, 1)} aria-label={`${words.down}: ${text[cid] ?? cid}`}>↓</button>
            </li>
          ))}
        </ol>
      );
      break;
    }
    default:
      input = (
        <textarea id={id} className="form-control" rows={3} value={value ?? ''} onChange={e => set(e.target.value || undefined)} />
      );
  }
  const errors: string[] = props.errorSchema?.__errors ?? [];
  return (
    <div className="form-group field crmtrain-editor-answer">
      <label className="control-label" htmlFor={id}>{props.schema.title}</label>
      {input}
      {errors.map(e => (
        <div key={e} className="text-danger crmtrain-editor-error">{e}</div>
      ))}
    </div>
  );
}

/** An assessment: its form, and what each trainee will be asked (with the follow-up's gaps). */
export function AssessmentField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const asked = context.asked[props.name];
  const ui: any = { ...props.uiSchema, include: choices(props.uiSchema?.include, context.questions) };
  const slot = ui.slots?.items ?? {};
  ui.slots = { ...ui.slots, items: { ...slot, 'ui:field': 'slot', 'ui:options': { assessment: props.name }, one_of: choices(slot.one_of, context.questions) } };
  return (
    <div className="crmtrain-editor-split">
      <div>
        <Plain {...props} uiSchema={ui} />
      </div>
      <aside className="crmtrain-editor-asked" aria-label={context.words.asked}>
        <h4>{context.words.asked}</h4>
        {asked ? (
          <ul>
            {[...asked.everyone, ...asked.drawn, ...asked.slots].map(line => (
              <li key={line}>{line}</li>
            ))}
            {asked.uncovered.map(line => (
              <li key={line} className="text-danger">{line}</li>
            ))}
          </ul>
        ) : null}
      </aside>
    </div>
  );
}

/** A slot of an assessment: its form, and for a case from the rules "try it as a trainee". */
export function SlotField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const slot = props.formData ?? {};
  const assessment = String((props.uiSchema?.['ui:options'] as any)?.assessment ?? '');
  return (
    <div className="crmtrain-editor-slot">
      <Plain {...props} />
      {slot.case ? (
        <button type="button" className="jp-mod-styled crmtrain-editor-try" onClick={() => context.trySlot(assessment, slot)}>
          {context.words.tryCase}
        </button>
      ) : null}
    </div>
  );
}
