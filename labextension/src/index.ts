/**
 * crmtrain-lab: JupyterLab for trainees. In a notebook crmtrain built (its metadata has a
 * "crmtrain" entry: workbooks and assessments alike) the trainee sees text, diagrams and
 * widgets, never code, and nothing waits for "Run All":
 *
 * - every code cell's input, prompt and cell toolbar is hidden, and so is the notebook
 *   toolbar's code-editing part; markdown cells stay rendered (no markdown source either);
 * - when the kernel is ready, and again after every restart, all code cells run by
 *   themselves, in order, without moving the trainee's place in the page;
 * - that run is not an edit: afterwards the notebook is not marked as modified;
 * - keys pressed inside a widget go to the widget (arrows move between options, Space and
 *   Enter press buttons) instead of triggering notebook shortcuts such as "x" (cut cell);
 * - a status line in the toolbar says when the exercises are loading or failed to start,
 *   with one button to start them again. Its words come from the notebook's metadata
 *   (crmtrain.ui), which the builder fills from crmtrain's gettext catalogs.
 *
 * Other notebooks are left exactly as JupyterLab shows them.
 */

import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Cell, CodeCell, MarkdownCell } from '@jupyterlab/cells';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';

/** The notebook metadata key crmtrain's builders write. */
const MARK = 'crmtrain';
/** The class that scopes every rule in style/index.css to crmtrain's notebooks. */
const NOTEBOOK_CLASS = 'crmtrain-notebook';

interface IWords {
  loading: string;
  failed: string;
  restart: string;
  restartHint: string;
}

const ENGLISH: IWords = {
  // Only for a notebook built before crmtrain wrote its words into the metadata.
  loading: 'The exercises are loading…',
  failed: 'The exercises did not start.',
  restart: 'Start the exercises again',
  restartHint: 'Restart the exercises of this notebook; your saved answers stay'
};

function words(panel: NotebookPanel): IWords {
  const meta = panel.model?.getMetadata(MARK) as { ui?: Partial<IWords> } | undefined;
  return { ...ENGLISH, ...(meta?.ui ?? {}) };
}

/** The toolbar's status line and its one button, in the trainee's language. */
class Status extends Widget {
  constructor(private readonly panel: NotebookPanel, onRestart: () => void) {
    super();
    this.addClass('crmtrain-status');
    const w = words(panel);
    this.text = document.createElement('span');
    this.text.className = 'crmtrain-status-text';
    this.text.setAttribute('role', 'status');
    this.text.setAttribute('aria-live', 'polite');
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.className = 'crmtrain-restart jp-Button jp-mod-styled jp-mod-reject';
    this.button.textContent = w.restart;
    this.button.title = w.restartHint;
    this.button.addEventListener('click', onRestart);
    this.node.append(this.text, this.button);
    this.set('loading');
  }

  /** "loading", "failed" or "ready" (the line is then empty; the button stays). */
  set(state: 'loading' | 'failed' | 'ready'): void {
    const w = words(this.panel);
    this.node.dataset.state = state;
    this.panel.node.dataset.crmtrainState = state;
    this.text.textContent = state === 'loading' ? w.loading : state === 'failed' ? w.failed : '';
  }

  private readonly text: HTMLSpanElement;
  private readonly button: HTMLButtonElement;
}

/**
 * Keys for the widget, and names for screen readers where a widget only shows a symbol: a
 * button such as "↑" whose tooltip says "Move up" is announced by its tooltip, and a group
 * of radio buttons is a radio group. Runs whenever the kernel redraws a widget.
 */
function label(root: HTMLElement): void {
  // Lumino stops looking for a shortcut at an element with this attribute, but it tests the
  // focused element itself first (":focus" selectors), so the controls need it themselves.
  root.querySelectorAll<HTMLElement>('input, button, textarea, select, [tabindex]').forEach(control => {
    control.setAttribute('data-lm-suppress-shortcuts', 'true');
  });
  root.querySelectorAll<HTMLButtonElement>('button[title]').forEach(button => {
    if (!/\p{L}/u.test(button.textContent ?? '') && !button.hasAttribute('aria-label')) {
      button.setAttribute('aria-label', button.title);
    }
  });
  root.querySelectorAll<HTMLElement>('.widget-radio-box, .jupyter-widget-radio-box').forEach(box => {
    box.setAttribute('role', 'radiogroup');
  });
}

/** Hide code, keep markdown rendered and let widgets have their keys, cell by cell. */
function decorate(cell: Cell, seen: WeakSet<Cell>): void {
  if (seen.has(cell)) {
    return;
  }
  seen.add(cell);
  cell.addClass('crmtrain-cell');
  if (cell instanceof CodeCell) {
    cell.readOnly = true;
    // Lumino skips key bindings for keys pressed inside an element with this attribute.
    const outputs = cell.outputArea.node;
    outputs.setAttribute('data-lm-suppress-shortcuts', 'true');
    new MutationObserver(() => label(outputs)).observe(outputs, { childList: true, subtree: true });
  } else if (cell instanceof MarkdownCell) {
    cell.readOnly = true;
    cell.rendered = true;
    cell.renderedChanged.connect((_, rendered) => {
      if (!rendered) {
        cell.rendered = true; // double-click or Enter would show the markdown source
      }
    });
  }
}

class Course {
  constructor(private readonly panel: NotebookPanel) {
    panel.addClass(NOTEBOOK_CLASS);
    this.status = new Status(panel, () => void this.restart());
    panel.toolbar.insertItem(0, 'crmtrain-status', this.status);
    const notebook = panel.content;
    const all = () => notebook.widgets.forEach(cell => decorate(cell, this.seen));
    all();
    notebook.model?.cells.changed.connect(() => requestAnimationFrame(all));
    const session = panel.sessionContext;
    session.statusChanged.connect((_, status) => {
      if (status === 'restarting' || status === 'autorestarting') {
        this.restarts++;
      } else if (status === 'idle') {
        void this.run();
      } else if (status === 'dead') {
        this.status.set('failed');
      }
    });
    session.kernelChanged.connect(() => void this.run());
    void session.ready.then(() => this.run());
  }

  /** Run every code cell once per kernel start; the notebook stays unmodified. */
  async run(): Promise<void> {
    const session = this.panel.sessionContext;
    const kernel = session.session?.kernel;
    if (!kernel || session.isDisposed) {
      return;
    }
    const key = `${kernel.id}/${this.restarts}`;
    if (this.ranFor === key) {
      return;
    }
    this.ranFor = key;
    this.status.set('loading');
    try {
      await kernel.info; // the kernel answers; JupyterLab has set language_info by then
      const cells = this.panel.content.widgets.filter((c): c is CodeCell => c instanceof CodeCell);
      // Queued all at once: the kernel runs them in order, and no cell is selected or scrolled to.
      const replies = await Promise.all(cells.map(cell => CodeCell.execute(cell, session)));
      const failed = replies.some(reply => reply && reply.content.status === 'error');
      this.runs++;
      this.panel.node.dataset.crmtrainRuns = String(this.runs);
      this.status.set(failed ? 'failed' : 'ready');
    } catch (error) {
      console.warn('crmtrain: the exercises did not run', error);
      this.status.set('failed');
    }
    // Outputs and kernel metadata changed, the trainee's document did not: nothing to save.
    if (!this.panel.isDisposed && this.panel.context.model) {
      this.panel.context.model.dirty = false;
    }
  }

  async restart(): Promise<void> {
    const session = this.panel.sessionContext;
    if (session.session?.kernel) {
      this.status.set('loading');
      await session.session.kernel.restart(); // statusChanged then runs the cells again
    } else {
      await session.startKernel();
    }
  }

  private readonly status: Status;
  private readonly seen = new WeakSet<Cell>();
  private restarts = 0;
  private runs = 0;
  private ranFor = '';
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'crmtrain-lab:plugin',
  description: 'crmtrain notebooks show text, diagrams and widgets, never code, and run when opened.',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (_app: JupyterFrontEnd, tracker: INotebookTracker) => {
    tracker.widgetAdded.connect((_, panel) => {
      void panel.context.ready.then(() => {
        if (!panel.isDisposed && panel.model?.getMetadata(MARK)) {
          new Course(panel);
        }
      });
    });
  }
};

export default plugin;
