/**
 * "My training": the trainee's one panel, in place of JupyterLab's file browser and nbgrader's
 * Assignment List. It lists the workbooks with their progress and the assessments with their
 * state and due date, and does fetch, submit and open-feedback with one click each.
 *
 * All data and words come from crmtrain's server extension (crmtrain/panel/, `GET
 * /crmtrain/training`), which does the exchange work through nbgrader's own code; this file
 * only draws. Without that server extension (a JupyterLab not started by crmtrain) the panel
 * does not appear.
 *
 * It also names crmtrain's notebooks by their title in tabs (not `02-order-processing.ipynb`)
 * and shows a feedback page in a tab of its own, whose "re-read" links open the workbook at
 * the section they name.
 */

import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';

type Action = 'fetch' | 'submit' | 'feedback' | 'open';

interface IAction {
  action: Action;
  label: string;
  path?: string;
}

interface IAssessment {
  course: string;
  id: string;
  title: string;
  state: string;
  stateText: string;
  due: string;
  late: boolean;
  lateText: string;
  actions: IAction[];
}

interface IWorkbook {
  path: string;
  title: string;
  progress: string;
  done: number | null;
}

interface IReminder {
  subject: string;
  sections: { heading: string; lines: string[] }[];
}

interface IOverview {
  lang: string;
  reminder?: IReminder | null;
  words: Record<string, string>;
  workbooks: IWorkbook[];
  assessments: IAssessment[];
  problem: string;
  ok?: boolean;
  message?: string;
  open?: string;
}

const PANEL_ID = 'crmtrain-training';
const REFRESH_MS = 30_000;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

class Training extends Widget {
  constructor(private readonly app: JupyterFrontEnd, first: IOverview) {
    super();
    this.id = PANEL_ID;
    this.addClass('crmtrain-training');
    this.title.caption = first.words.title;
    this.title.label = first.words.title;
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', first.words.title);
    this.render(first);
  }

  /** The overview from the server; `action` with a body does that first. */
  static async call(app: JupyterFrontEnd, action = '', body?: object): Promise<IOverview> {
    const settings = app.serviceManager.serverSettings;
    const url = URLExt.join(settings.baseUrl, 'crmtrain', 'training', action);
    const init: RequestInit = body ? { method: 'POST', body: JSON.stringify(body) } : { method: 'GET' };
    const reply = await ServerConnection.makeRequest(url, init, settings);
    if (!reply.ok) {
      throw new Error(`crmtrain: ${url} answered ${reply.status}`);
    }
    return (await reply.json()) as IOverview;
  }

  async refresh(): Promise<void> {
    try {
      this.render(await Training.call(this.app));
    } catch (error) {
      console.warn('crmtrain: My training could not be refreshed', error);
    }
  }

  protected onAfterShow(): void {
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  protected onAfterHide(): void {
    window.clearInterval(this.timer);
  }

  /** The day's reminder, the same sections as the email `crmtrain remind` sent. */
  private reminder(title: string, reminder: IReminder): HTMLElement {
    const box = element('section', 'crmtrain-reminder');
    box.setAttribute('aria-label', title);
    box.append(element('h3', '', title));
    for (const section of reminder.sections) {
      box.append(element('h4', '', section.heading));
      const list = element('ul');
      for (const line of section.lines) {
        list.append(element('li', '', line));
      }
      box.append(list);
    }
    return box;
  }

  private render(data: IOverview): void {
    this.data = data;
    const w = data.words;
    const root = element('div', 'crmtrain-training-body');
    root.append(element('h2', 'crmtrain-training-title', w.title));
    if (this.message) {
      const note = element('p', 'crmtrain-training-message', this.message);
      note.setAttribute('role', 'status');
      root.append(note);
    }
    if (data.reminder) {
      root.append(this.reminder(w.reminder, data.reminder));
    }
    root.append(element('h3', '', w.workbooks));
    const books = element('ul', 'crmtrain-workbooks');
    for (const book of data.workbooks) {
      const row = element('li', 'crmtrain-workbook');
      const open = element('button', 'crmtrain-link', book.title);
      open.type = 'button';
      open.addEventListener('click', () => void this.app.commands.execute('docmanager:open', { path: book.path }));
      row.append(open, element('div', 'crmtrain-progress-text', book.progress));
      if (book.done !== null) {
        const bar = element('progress', 'crmtrain-progress');
        bar.max = 1;
        bar.value = book.done;
        bar.setAttribute('aria-label', book.progress);
        row.append(bar);
      }
      books.append(row);
    }
    root.append(books);
    root.append(element('h3', '', w.assessments));
    if (data.problem) {
      root.append(element('p', 'crmtrain-training-problem', data.problem));
    } else if (!data.assessments.length) {
      root.append(element('p', 'crmtrain-muted', w.noAssessments));
    }
    const tests = element('ul', 'crmtrain-assessments');
    for (const a of data.assessments) {
      const row = element('li', 'crmtrain-assessment');
      row.dataset.state = a.state;
      row.dataset.assessment = a.id;
      row.append(element('div', 'crmtrain-assessment-title', a.title));
      row.append(element('div', 'crmtrain-state', a.stateText));
      if (a.due) {
        row.append(element('div', 'crmtrain-due' + (a.late ? ' crmtrain-late' : ''), a.due));
      }
      if (a.late) {
        row.append(element('div', 'crmtrain-late', a.lateText));
      }
      const buttons = element('div', 'crmtrain-actions');
      for (const act of a.actions) {
        const button = element('button', 'jp-Button jp-mod-styled' + (act.action === 'open' ? '' : ' jp-mod-accept'), act.label);
        button.type = 'button';
        button.disabled = this.busy;
        button.addEventListener('click', () => void this.act(a, act));
        buttons.append(button);
      }
      row.append(buttons);
      tests.append(row);
    }
    root.append(tests);
    this.node.replaceChildren(root);
  }

  private async act(a: IAssessment, act: IAction): Promise<void> {
    if (act.action === 'open' && act.path) {
      await this.app.commands.execute('docmanager:open', { path: act.path });
      return;
    }
    this.busy = true;
    this.message = this.data?.words.working ?? '';
    if (this.data) {
      this.render(this.data);
    }
    try {
      if (act.action === 'submit') {
        await this.saveOpen(a.id);
      }
      const reply = await Training.call(this.app, act.action, { course: a.course, assessment: a.id });
      this.message = reply.message ?? '';
      this.busy = false;
      this.render(reply);
      if (reply.ok && reply.open) {
        if (act.action === 'feedback') {
          await this.openFeedback(reply.open, a.title);
        } else {
          await this.app.commands.execute('docmanager:open', { path: reply.open });
        }
      }
    } catch (error) {
      console.warn('crmtrain: the action failed', error);
      this.busy = false;
      this.message = '';
      await this.refresh();
    }
  }

  /** Save the open notebooks of an assessment that have unsaved changes before submitting. */
  private async saveOpen(assessment: string): Promise<void> {
    const saves: Promise<void>[] = [];
    for (const widget of this.app.shell.widgets('main')) {
      if (widget instanceof NotebookPanel && widget.context.path.startsWith(`${assessment}/`) && widget.context.model.dirty) {
        saves.push(widget.context.save());
      }
    }
    await Promise.all(saves);
  }

  /** The feedback page in a tab of its own; its links open the workbook at their section. */
  async openFeedback(path: string, title: string): Promise<void> {
    const file = await this.app.serviceManager.contents.get(path, { content: true, type: 'file', format: 'text' });
    const content = new Widget();
    content.addClass('crmtrain-feedback');
    const frame = element('iframe', 'crmtrain-feedback-frame');
    // No scripts on the page; same origin only so that its links can be handled here.
    frame.setAttribute('sandbox', 'allow-same-origin');
    frame.srcdoc = String(file.content);
    frame.addEventListener('load', () => {
      frame.contentDocument?.querySelectorAll<HTMLAnchorElement>('a[data-crmtrain-workbook]').forEach(link => {
        link.addEventListener('click', event => {
          event.preventDefault();
          void this.openSection(link.dataset.crmtrainWorkbook ?? '', link.dataset.crmtrainSection ?? '');
        });
      });
    });
    content.node.append(frame);
    const tab = new MainAreaWidget({ content });
    tab.id = `crmtrain-feedback-${path}`;
    tab.title.label = title;
    tab.title.caption = title;
    tab.title.closable = true;
    tab.addClass('crmtrain-feedback-tab');
    this.app.shell.add(tab, 'main');
    this.app.shell.activateById(tab.id);
  }

  /** Open the workbook named `book` (a file name) at the heading `section`. */
  private async openSection(book: string, section: string): Promise<void> {
    const found = this.data?.workbooks.find(w => w.path === book || w.path.endsWith(`/${book}`));
    if (!found) {
      return;
    }
    const widget = await this.app.commands.execute('docmanager:open', { path: found.path });
    if (widget instanceof NotebookPanel && section) {
      await widget.context.ready;
      widget.setFragment(`#${section.replace(/ /g, '-')}`);
    }
  }

  private data: IOverview | null = null;
  private message = '';
  private busy = false;
  private timer = 0;
}

/**
 * A crmtrain notebook's tab says its title, not its file name.
 *
 * A document's tab label is its file name: JupyterLab renames the file when the label
 * changes (DocumentWidget connects `title.changed` to a rename). So that link is cut first,
 * and only if it was found; otherwise the tab keeps the file name and nothing is renamed.
 */
function titled(panel: NotebookPanel): void {
  void panel.context.ready.then(() => {
    const meta = panel.model?.getMetadata('crmtrain') as { title?: string } | undefined;
    const rename = (panel as unknown as { _onTitleChanged?: (...args: unknown[]) => void })._onTitleChanged;
    if (!meta?.title || !rename || !panel.title.changed.disconnect(rename, panel)) {
      return;
    }
    const apply = () => {
      panel.title.label = meta.title!;
      panel.title.caption = meta.title!;
    };
    apply();
    // After a move JupyterLab writes the new file name into the label again.
    panel.context.pathChanged.connect(() => requestAnimationFrame(apply));
  });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'crmtrain-lab:training',
  description: 'My training: the workbooks and assessments of a crmtrain trainee, in one panel.',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker) => {
    tracker.widgetAdded.connect((_, panel) => titled(panel));
    void Promise.all([app.restored, Training.call(app)]).then(
      ([, first]) => {
        const skip = document.querySelector<HTMLElement>('.jp-skiplink a, a.jp-skiplink');
        if (skip && first.words.skipLink) {
          skip.textContent = first.words.skipLink;
        }
        const panel = new Training(app, first);
        app.shell.add(panel, 'left', { rank: 0 });
        app.shell.activateById(panel.id);
      },
      () => undefined // no crmtrain server extension: JupyterLab as usual
    );
  }
};

export default plugin;
