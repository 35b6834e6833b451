/**
 * A kernel only for the workbook the trainee is looking at, and always one this page started.
 *
 * JupyterLab gives every open notebook a kernel as soon as its file is loaded, also the tabs
 * it restores in the background, and it reconnects a notebook to the kernel an earlier page
 * left running. For crmtrain's notebooks both are wrong:
 *
 * - restored background tabs would all start a kernel and run every cell at once (seconds of
 *   CPU and ~45 MB each) before the trainee has looked at them;
 * - a kernel left by an earlier page holds the widgets *that* page displayed. The new page
 *   has no views of them (outputs are never saved), ipywidgets restores hundreds of stale
 *   models from it, and running the cells again there races that restore: views of models
 *   the page never learns about ("widget model not found") and exercises stuck loading.
 *
 * So a crmtrain notebook's session starts when its tab is first shown, and a session left by
 * an earlier page is shut down first: every page runs the cells in a kernel of its own, and
 * the answers come back from the progress files. A tab hidden for a while gives its kernel
 * back; showing it again starts a fresh one.
 */

import type { ISessionContext } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';

/** A hidden workbook keeps its kernel this long (quick back-and-forth between tabs is free). */
export const HIDDEN_KERNEL_MS = 60_000;

/** Whether the trainee can see ``panel`` (its tab is the current one, or it is in a split). */
export function isShown(panel: NotebookPanel): boolean {
  return panel.isAttached && panel.isVisible && !panel.isDisposed;
}

/** Call ``changed(shown)`` whenever ``panel`` is shown or hidden (Lumino toggles a class). */
export function watchVisibility(panel: NotebookPanel, changed: (shown: boolean) => void): void {
  let last = isShown(panel);
  const check = () => {
    const now = isShown(panel);
    if (now !== last) {
      last = now;
      changed(now);
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(panel.node, { attributes: true, attributeFilter: ['class'] });
  // Attaching a tab, or showing the dock it sits in, toggles no class on the panel itself.
  const timer = window.setInterval(check, 1000);
  panel.disposed.connect(() => {
    observer.disconnect();
    window.clearInterval(timer);
  });
}

/** Resolves once ``panel`` is on screen (at once if it is). */
export function shown(panel: NotebookPanel): Promise<void> {
  return new Promise(resolve => {
    if (isShown(panel)) {
      resolve();
      return;
    }
    watchVisibility(panel, now => now && resolve());
  });
}

/**
 * Hold ``panel``'s session back until its tab is shown, when ``isCourse()`` says so; then shut
 * down any session an earlier page left on the same file and let JupyterLab start a new one.
 *
 * JupyterLab's document context calls ``sessionContext.initialize()`` once the file is loaded;
 * ipywidgets and crmtrain wait for ``sessionContext.ready``, which resolves at its end. Wrapping
 * this one instance's method is the only hook that runs before the session exists.
 */
export function deferSession(panel: NotebookPanel, isCourse: () => boolean): void {
  const session = panel.sessionContext;
  const initialize = session.initialize.bind(session);
  let started: Promise<boolean> | null = null;
  // Other parts of JupyterLab call initialize() again to wait for it: only the first call
  // may shut a leftover down, or the later ones would shut down the kernel just started.
  session.initialize = () => {
    started ??= (async () => {
      if (isCourse()) {
        await shown(panel);
        await shutDownLeftover(session);
      }
      return initialize();
    })();
    return started;
  };
}

async function shutDownLeftover(session: ISessionContext): Promise<void> {
  const manager = session.sessionManager;
  try {
    await manager.ready;
    await manager.refreshRunning();
    for (const model of Array.from(manager.running())) {
      if (model.path === session.path) {
        await manager.shutdown(model.id);
      }
    }
  } catch (error) {
    // Not fatal: the page then reconnects to the old kernel, and the cells run there.
    console.warn('crmtrain: could not shut down the kernel of an earlier visit', error);
  }
}

/** Start a kernel for a shown notebook that has none (given back while hidden, or culled). */
export async function ensureKernel(session: ISessionContext): Promise<void> {
  if (session.isDisposed || session.session?.kernel || session.isTerminating || session.pendingInput) {
    return;
  }
  await session.changeKernel({ name: session.kernelPreference.name || 'python3' });
}
