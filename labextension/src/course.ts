/**
 * One crmtrain notebook on screen: its status line, its automatic run, its kernel's life.
 *
 * - When the notebook's kernel is ready, and again after every restart, all code cells run by
 *   themselves, in order, without moving the trainee's place in the page.
 * - The notebook is never marked as modified: the trainee cannot edit it (cells are read-only)
 *   and their answers live in the progress files and ``answers.json``; what changes in the
 *   model (outputs, the kernel's ``language_info``) is not theirs to save. Outputs read from
 *   the file (a notebook someone saved) are dropped: their widget views name models of a
 *   kernel that is gone.
 * - A kernel only while the notebook is shown (see kernels.ts).
 */

import { CodeCell } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Kernel, KernelAPI } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';

import { HIDDEN_KERNEL_MS, ensureKernel, isShown, watchVisibility } from './kernels';

/** The notebook metadata key crmtrain's builders write. */
export const MARK = 'crmtrain';
/** The class that scopes every rule in style/index.css to crmtrain's notebooks. */
const NOTEBOOK_CLASS = 'crmtrain-notebook';
/** A kernel that keeps going away is not started again and again. */
const RESTART_PAUSE_MS = 10_000;

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

/** How often the server restarted a kernel (crmtrain.labkernels adds it to the kernel's model). */
function restartsOf(model: Kernel.IModel | undefined): number {
  const count = (model as { crmtrain_restarts?: unknown } | undefined)?.crmtrain_restarts;
  return typeof count === 'number' ? count : 0;
}

export class Course {
  constructor(private readonly panel: NotebookPanel) {
    panel.addClass(NOTEBOOK_CLASS);
    this.status = new Status(panel, () => void this.restart());
    panel.toolbar.insertItem(0, 'crmtrain-status', this.status);
    this.keepClean();
    const session = panel.sessionContext;
    session.statusChanged.connect((_, status) => {
      // A restart asked for here says "restarting"; one from outside (the server's REST API,
      // an administrator) only shows as the kernel "starting" again after it ran the cells.
      const again = status === 'restarting' || status === 'autorestarting' || status === 'starting';
      if (again && this.ranFor === `${session.session?.kernel?.id}/${this.restarts}`) {
        this.restarts++;
        if (status === 'starting') {
          void this.run(); // restarted from outside: the kernel says nothing more until asked
        }
      } else if (status === 'idle') {
        void this.run();
      } else if (status === 'dead') {
        this.status.set('failed');
      }
    });
    session.kernelChanged.connect((_, change) => change.newValue && void this.run());
    // A restart from outside whose "starting" never reached the page: the server counts restarts
    // (crmtrain.labkernels) in the kernel list JupyterLab fetches every few seconds.
    session.kernelManager?.runningChanged.connect((_, models) => this.restartedElsewhere(models));
    session.sessionChanged.connect((_, change) => {
      if (change.oldValue && !change.newValue && isShown(panel) && !this.givenBack) {
        this.startAgain(); // culled, or shut down from elsewhere, while on screen
      }
    });
    void session.ready.then(() => this.run());
    watchVisibility(panel, now => this.visibilityChanged(now));
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
      // The kernel answers; JupyterLab has set language_info, and ipywidgets' manager, which
      // attaches to a new kernel when the session is ready, listens for the widgets' comms.
      await kernel.info;
      await session.ready;
      this.counted = restartsOf(await KernelAPI.getKernelModel(kernel.id, kernel.serverSettings));
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
  }

  /** Run again when the server counted a restart of this page's kernel that the page did not see. */
  private restartedElsewhere(models: readonly Kernel.IModel[]): void {
    const kernel = this.panel.sessionContext.session?.kernel;
    const model = kernel && models.find(m => m.id === kernel.id);
    // Only once the cells ran for what the page knows; a restart it saw runs them anyway.
    if (model && this.ranFor === `${kernel.id}/${this.restarts}` && restartsOf(model) > this.counted) {
      this.restarts++;
      void this.run();
    }
  }

  async restart(): Promise<void> {
    const session = this.panel.sessionContext;
    this.status.set('loading');
    if (session.session?.kernel) {
      await session.session.kernel.restart(); // statusChanged then runs the cells again
    } else {
      await ensureKernel(session);
    }
  }

  /** Drop outputs saved into the file, and keep the model unmodified from then on. */
  private keepClean(): void {
    const model = this.panel.context.model;
    for (const cell of this.panel.content.widgets) {
      if (cell instanceof CodeCell && cell.model.outputs.length) {
        cell.model.outputs.clear();
      }
    }
    model.dirty = false;
    model.stateChanged.connect((_, change) => {
      if (change.name === 'dirty' && change.newValue) {
        queueMicrotask(() => {
          if (!model.isDisposed) {
            model.dirty = false;
          }
        });
      }
    });
  }

  /** Shown: make sure there is a kernel. Hidden for a while: give the kernel back. */
  private visibilityChanged(now: boolean): void {
    window.clearTimeout(this.hideTimer);
    const session = this.panel.sessionContext;
    if (now) {
      if (this.givenBack) {
        this.givenBack = false;
        this.startAgain();
      }
      return;
    }
    this.hideTimer = window.setTimeout(() => {
      if (!isShown(this.panel) && session.session?.kernel && !session.isDisposed) {
        this.givenBack = true;
        this.status.set('loading');
        void session.shutdown();
      }
    }, HIDDEN_KERNEL_MS);
  }

  /** A new kernel for a notebook on screen that lost its own; at most one every few seconds. */
  private startAgain(): void {
    const now = Date.now();
    if (now - this.lastStart < RESTART_PAUSE_MS) {
      this.status.set('failed'); // the button is still there
      return;
    }
    this.lastStart = now;
    this.status.set('loading');
    void ensureKernel(this.panel.sessionContext).catch(() => this.status.set('failed'));
  }

  private readonly status: Status;
  private lastStart = 0;
  private restarts = 0;
  private runs = 0;
  private ranFor = '';
  private counted = 0; // the kernel's restarts the server had counted when the cells last ran
  private givenBack = false;
  private hideTimer = 0;
}
