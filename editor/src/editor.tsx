/**
 * The regulation editor: one tab per part of the regulation, each an rjsf form drawn from the
 * format's JSON Schema, with crmtrain check's problems at the fields they concern.
 *
 * Every edit is checked by the server (the same checks as `crmtrain check`) a moment after
 * the last keystroke; ids the server makes from titles are filled in. Saving rewrites only the
 * changed values of the YAML file. A change of the file on disk (a text editor) reloads the
 * form when it has no unsaved edits, and otherwise says so.
 */

import { ReactWidget } from '@jupyterlab/apputils';
import Form from '@rjsf/core';
import validator from '@rjsf/validator-ajv8';
import * as React from 'react';

import * as api from './api';
import { AnswerField, AssessmentField, ChoiceWidget, DiagramField, IContext, MarkdownWidget, QuestionField, SlotField } from './fields';
import { BUTTONS, ClientWorkField } from './lists';
import { AnswerFromField } from './answerfrom';
import { CalendarField } from './calendar';
import { LeadTableField } from './leadtable';
import { PipelineField } from './matrix';
import { TableField } from './tables';
import { errorSchema, fieldId, getIn, parsePointer, setIn, uiSchemaFor } from './model';

const CHECK_DELAY = 80; // ms after the last edit
const POLL = 2000; // ms between looks at the file on disk

const FIELDS = {
  answer: AnswerField,
  process: DiagramField,
  pipeline: PipelineField,
  table: TableField,
  calendar: CalendarField,
  answerFrom: AnswerFromField,
  slot: SlotField,
  question: QuestionField,
  assessment: AssessmentField,
  leadTable: LeadTableField,
  clientWork: ClientWorkField
};
const WIDGETS = { markdown: MarkdownWidget, choice: ChoiceWidget };

interface IState {
  loaded: api.ILoaded | null;
  data: Record<string, any>;
  checked: api.IChecked | null;
  part: string;
  dirty: boolean;
  status: string;
  error: string;
  changedOnDisk: boolean;
}

/** The editor's state and its server round trips, as a React component. */
export class RegulationEditorView extends React.Component<{ path: string; context: Omit<IContext, 'data' | 'words' | 'kinds' | 'diagrams' | 'asked' | 'tryQuestion' | 'trySlot' | 'items' | 'questions'>; onDirty: (dirty: boolean) => void }, IState> {
  state: IState = { loaded: null, data: {}, checked: null, part: 'meta', dirty: false, status: '', error: '', changedOnDisk: false };
  private timer = 0;
  private items: [string, string][] = [];
  private poll = 0;
  private seq = 0;

  componentDidMount(): void {
    void this.reload();
    this.poll = window.setInterval(() => void this.lookAtDisk(), POLL);
  }

  componentWillUnmount(): void {
    window.clearInterval(this.poll);
    window.clearTimeout(this.timer);
  }

  async reload(): Promise<void> {
    try {
      const loaded = await api.load(this.props.path);
      const data = this.withIds(loaded.data, loaded.ids);
      const part = loaded.schema.properties[this.state.part] ? this.state.part : Object.keys(loaded.schema.properties)[0];
      this.setState({ loaded, data, checked: loaded, part, dirty: false, error: '', changedOnDisk: false, status: '' });
      this.props.onDirty(false);
    } catch (error) {
      this.setState({ error: `${this.state.loaded?.words.openFailed ?? 'The regulation could not be opened'}: ${(error as Error).message}` });
    }
  }

  async save(): Promise<void> {
    const loaded = this.state.loaded;
    if (!loaded) {
      return;
    }
    try {
      const saved = await api.save(this.props.path, this.state.data, loaded.digest);
      this.setState({ loaded: { ...loaded, digest: saved.digest }, dirty: false, status: loaded.words.saved, error: '' });
      this.props.onDirty(false);
    } catch (error) {
      if ((error as { status?: number }).status === 409) {
        this.setState({ changedOnDisk: true });
      } else {
        this.setState({ error: `${loaded.words.saveFailed}: ${(error as Error).message}` });
      }
    }
  }

  private async lookAtDisk(): Promise<void> {
    const loaded = this.state.loaded;
    if (!loaded || this.state.changedOnDisk) {
      return;
    }
    try {
      const { digest } = await api.digest(this.props.path);
      if (digest !== this.state.loaded?.digest) {
        if (this.state.dirty) {
          this.setState({ changedOnDisk: true });
        } else {
          await this.reload();
        }
      }
    } catch {
      // the file is being replaced, or the server restarts: look again later
    }
  }

  private withIds(data: any, ids: { pointer: string; value: string }[]): any {
    return ids.reduce((out, { pointer, value }) => setIn(out, parsePointer(pointer), value), data);
  }

  private edit(part: string, value: unknown): void {
    const data = { ...this.state.data, [part]: value };
    this.setState({ data, dirty: true, status: this.state.loaded?.words.checking ?? '' });
    this.props.onDirty(true);
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.check(), CHECK_DELAY);
  }

  private async check(): Promise<void> {
    const seq = ++this.seq;
    const sent = this.state.data;
    const checked = await api.check(sent);
    if (seq !== this.seq) {
      return; // a later edit's check is on its way
    }
    const fresh = checked.ids.filter(({ pointer }) => getIn(this.state.data, parsePointer(pointer)) === undefined);
    const words = this.state.loaded?.words ?? {};
    this.items = checked.items ?? this.items; // while the regulation is invalid, the last good list
    this.setState({
      checked,
      data: this.withIds(this.state.data, fresh),
      status: (words.checkedIn ?? '{ms}').replace('{ms}', String(checked.ms))
    });
  }

  /** Open the practice notebook the server wrote ("try it as a trainee"), or say why it could not. */
  private tryIt(made: Promise<{ notebook: string }>): void {
    made
      .then(({ notebook }) => this.props.context.openNotebook(notebook))
      .catch(error => this.setState({ error: (error as Error).message }));
  }

  private fix(problem: api.IProblem): void {
    const path = parsePointer(problem.pointer);
    this.edit(String(path[0]), getIn(setIn(this.state.data, path, problem.fix), [path[0]]));
  }

  private show(problem: api.IProblem): void {
    const path = parsePointer(problem.pointer);
    this.setState({ part: String(path[0]) }, () => {
      for (let n = path.length; n > 0; n--) {
        const element = document.getElementById(fieldId(path.slice(0, n)));
        if (element) {
          element.scrollIntoView({ block: 'center' });
          element.focus();
          return;
        }
      }
    });
  }

  render(): JSX.Element {
    const { loaded, data, checked, part } = this.state;
    if (!loaded) {
      return <div className="crmtrain-editor-error">{this.state.error}</div>;
    }
    const words = loaded.words;
    const schema = loaded.schema;
    const partSchema = { ...schema.properties[part], $defs: schema.$defs };
    const problems = checked?.problems ?? [];
    const context: IContext = {
      ...this.props.context,
      data: () => this.state.data,
      words,
      kinds: loaded.kinds,
      diagrams: checked?.diagrams ?? {},
      asked: checked?.asked ?? {},
      items: (this.items = checked?.items ?? this.items),
      questions: (data.questions ?? []).filter((q: any) => q?.id).map((q: any) => [q.id, String(q.text ?? '').slice(0, 80)]),
      tryQuestion: (question: unknown) => this.tryIt(api.tryQuestion(this.props.path, this.state.data, question)),
      trySlot: (assessment: string, slot: unknown) => this.tryIt(api.trySlot(this.props.path, this.state.data, assessment, slot))
    };
    return (
      <div className="crmtrain-editor">
        <div className="crmtrain-editor-toolbar">
          <button type="button" className="jp-mod-styled jp-mod-accept" disabled={!this.state.dirty} onClick={() => void this.save()}>
            {words.save}
          </button>
          <span className="crmtrain-editor-status" role="status">
            {this.state.dirty ? `${words.unsaved} · ` : ''}
            {this.state.status}
          </span>
          {this.state.changedOnDisk ? (
            <span className="crmtrain-editor-conflict">
              {words.changedOnDisk}{' '}
              <button type="button" className="jp-mod-styled" onClick={() => void this.reload()}>{words.reload}</button>
            </span>
          ) : null}
          {this.state.error ? <span className="crmtrain-editor-error">{this.state.error}</span> : null}
        </div>
        <nav className="crmtrain-editor-tabs" role="tablist">
          {Object.keys(schema.properties).map(name => {
            const count = problems.filter(p => parsePointer(p.pointer)[0] === name && p.severity === 'error').length;
            return (
              <button key={name} type="button" role="tab" aria-selected={name === part}
                className={name === part ? 'crmtrain-editor-tab crmtrain-mod-current' : 'crmtrain-editor-tab'}
                onClick={() => this.setState({ part: name })}>
                {schema.properties[name].title ?? name}
                {count ? <span className="crmtrain-editor-count">{count}</span> : null}
              </button>
            );
          })}
        </nav>
        <div className="crmtrain-editor-body">
          <div className="crmtrain-editor-form">
            <Form
              key={part}
              schema={partSchema}
              uiSchema={{ ...uiSchemaFor(schema, schema.properties[part], part), 'ui:submitButtonOptions': { norender: true } }}
              formData={data[part]}
              validator={validator}
              fields={FIELDS}
              widgets={WIDGETS}
              templates={{ ButtonTemplates: BUTTONS }}
              formContext={context}
              extraErrors={errorSchema(problems, part)}
              showErrorList={false}
              noHtml5Validate
              experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipDefaults', arrayMinItems: { populate: 'never' } }}
              onChange={event => this.edit(part, event.formData)}
            />
          </div>
          <aside className="crmtrain-editor-problems" aria-label={words.problems}>
            <h3>{words.problems}</h3>
            {problems.length === 0 ? <p>{words.noProblems}</p> : null}
            <ul>
              {problems.map((p, i) => (
                <li key={i} className={`crmtrain-editor-problem crmtrain-mod-${p.severity}`}>
                  <a href="#" onClick={e => { e.preventDefault(); this.show(p); }}>
                    {p.severity === 'todo' ? `${words.todo}: ` : ''}{p.message}
                  </a>
                  {p.fix !== null && p.fix !== undefined ? (
                    <button type="button" className="jp-mod-styled" onClick={() => this.fix(p)}>{`${words.fix}: ${String(p.fix)}`}</button>
                  ) : null}
                </li>
              ))}
            </ul>
          </aside>
        </div>
      </div>
    );
  }
}

/** The editor as a JupyterLab main-area widget. */
export class RegulationEditor extends ReactWidget {
  constructor(readonly path: string, private readonly context: Omit<IContext, 'data' | 'words' | 'kinds' | 'diagrams' | 'asked' | 'tryQuestion' | 'trySlot' | 'items' | 'questions'>) {
    super();
    this.addClass('crmtrain-editor-widget');
  }

  onDirty: (dirty: boolean) => void = () => undefined;

  render(): JSX.Element {
    return <RegulationEditorView path={this.path} context={this.context} onDirty={d => this.onDirty(d)} />;
  }
}
