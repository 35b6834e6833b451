/**
 * crmtrain-lab: JupyterLab for trainees. In a notebook crmtrain built (its metadata has a
 * "crmtrain" entry: workbooks and assessments alike) the trainee sees text, diagrams and
 * widgets, never code, and nothing waits for "Run All":
 *
 * - every code cell's input, prompt and cell toolbar is hidden, and so is the notebook
 *   toolbar's code-editing part; markdown cells stay rendered (no markdown source either);
 * - diagrams fit the column, with a full-size view to zoom and move around in (diagrams.ts);
 * - when the kernel is ready, and again after every restart, all code cells run by
 *   themselves, in order, without moving the trainee's place in the page (course.ts);
 * - the notebook is never marked as modified: nothing in it is the trainee's to save;
 * - a kernel only for a notebook on screen, and one this page started (kernels.ts);
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
import { INotebookTracker } from '@jupyterlab/notebook';

import { Course, MARK } from './course';
import { watchDiagrams } from './diagrams';
import { deferSession } from './kernels';

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

/**
 * A document opened while JupyterLab restores the last visit's layout (a click, a link, a script)
 * comes to the front once the restore is done. Without this the restore puts the last visit's
 * front tab back on top, and the workbook asked for stays hidden: "loading", with no kernel,
 * since a crmtrain notebook starts one only on screen (kernels.ts). The restorer's own opens
 * name their document factory; an open that does not is someone's wish.
 */
function frontAfterRestore(app: JupyterFrontEnd): void {
  let wanted: string | null = null;
  let restoring = true;
  app.commands.commandExecuted.connect((_, { id, args }) => {
    if (restoring && id === 'docmanager:open' && typeof args.path === 'string' && !args.factory) {
      wanted = args.path;
    }
  });
  void app.restored.then(() => {
    restoring = false;
    if (wanted) {
      void app.commands.execute('docmanager:open', { path: wanted });
    }
  });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'crmtrain-lab:plugin',
  description: 'crmtrain notebooks show text, diagrams and widgets, never code, and run when opened.',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker) => {
    frontAfterRestore(app);
    tracker.widgetAdded.connect((_, panel) => {
      const isCourse = () => !panel.isDisposed && !!panel.model?.getMetadata(MARK);
      deferSession(panel, isCourse); // now, before the loaded file asks for a kernel
      void panel.context.ready.then(() => {
        if (isCourse()) {
          const seen = new WeakSet<Cell>();
          const all = () => panel.content.widgets.forEach(cell => decorate(cell, seen));
          all();
          panel.content.model?.cells.changed.connect(() => requestAnimationFrame(all));
          new Course(panel);
          watchDiagrams(panel);
        }
      });
    });
  }
};

export default plugin;
