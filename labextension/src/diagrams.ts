/**
 * Diagrams that fit the notebook column, and a full-size view the trainee can find.
 *
 * JupyterLab draws a Mermaid block as `<div class="jp-RenderedMermaid"><figure><img>`, the
 * image as wide as Mermaid drew it. In crmtrain's notebooks the image is shrunk to the
 * column (style/index.css), so no part of a process is ever cut off or hidden behind a
 * scrollbar at the bottom of a tall figure. When it is shrunk, a button at its top, which
 * moves down with the view while the diagram is scrolled through, says so in the trainee's language;
 * it (or a click on the image) opens the diagram at full size in a view over the notebook,
 * centred where the trainee was looking: scroll or drag to move around, + and − to zoom, Esc
 * to close.
 */

import type { NotebookPanel } from '@jupyterlab/notebook';

import { MARK } from './course';

interface IZoomWords {
  zoom: string;
  zoomIn: string;
  zoomOut: string;
  close: string;
  zoomHint: string;
}

const ENGLISH: IZoomWords = {
  // Only for a notebook built before crmtrain wrote these words into its metadata.
  zoom: 'Enlarge the diagram',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  close: 'Close',
  zoomHint: 'Drag the diagram or scroll to see all of it.'
};

const STEP = 1.25; // one press of + or −

function words(panel: NotebookPanel): IZoomWords {
  const meta = panel.model?.getMetadata(MARK) as { ui?: Partial<IZoomWords> } | undefined;
  return { ...ENGLISH, ...(meta?.ui ?? {}) };
}

/** The width Mermaid drew the diagram at (JupyterLab copies it onto the image). */
function fullWidth(img: HTMLImageElement): number {
  return Number(img.getAttribute('width')) || img.naturalWidth;
}

function shrunk(img: HTMLImageElement): boolean {
  return img.clientWidth > 0 && img.clientWidth < fullWidth(img) - 1;
}

function button(text: string, className: string, label = text): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `jp-Button jp-mod-styled ${className}`;
  b.textContent = text;
  b.title = label;
  b.setAttribute('aria-label', label);
  return b;
}

/** Where in ``img`` (0..1 across and down) the trainee was looking: the clicked point, else the middle of what is on screen. */
function focusPoint(img: HTMLImageElement, event?: MouseEvent): { x: number; y: number } {
  const r = img.getBoundingClientRect();
  const view = (img.closest('.jp-WindowedPanel-outer') ?? document.body).getBoundingClientRect();
  const x = event ? event.clientX : (Math.max(r.left, view.left) + Math.min(r.right, view.right)) / 2;
  const y = event ? event.clientY : (Math.max(r.top, view.top) + Math.min(r.bottom, view.bottom)) / 2;
  return { x: (x - r.left) / (r.width || 1), y: (y - r.top) / (r.height || 1) };
}

/** Dragging inside ``body`` scrolls it, as a map does. */
function dragToScroll(body: HTMLElement): void {
  let drag: { x: number; y: number; left: number; top: number } | null = null;
  body.addEventListener('pointerdown', event => {
    drag = { x: event.clientX, y: event.clientY, left: body.scrollLeft, top: body.scrollTop };
    body.setPointerCapture(event.pointerId);
    body.classList.add('crmtrain-mod-dragging');
  });
  body.addEventListener('pointermove', event => {
    if (drag) {
      body.scrollLeft = drag.left - (event.clientX - drag.x);
      body.scrollTop = drag.top - (event.clientY - drag.y);
    }
  });
  const drop = () => {
    drag = null;
    body.classList.remove('crmtrain-mod-dragging');
  };
  body.addEventListener('pointerup', drop);
  body.addEventListener('pointercancel', drop);
}

/** The full-size view of ``img`` over the whole window, centred where the trainee was looking; focus goes back to ``from`` on close. */
function openView(img: HTMLImageElement, w: IZoomWords, from: HTMLElement, at: { x: number; y: number }): void {
  const view = document.createElement('div');
  view.className = 'crmtrain-zoom-view';
  view.setAttribute('role', 'dialog');
  view.setAttribute('aria-modal', 'true');
  view.setAttribute('aria-label', img.alt || w.zoom);
  view.setAttribute('data-lm-suppress-shortcuts', 'true'); // keys are the view's, not the notebook's
  const bar = document.createElement('div');
  bar.className = 'crmtrain-zoom-bar';
  const hint = document.createElement('span');
  hint.className = 'crmtrain-zoom-hint';
  hint.textContent = w.zoomHint;
  const out = button('−', 'crmtrain-zoom-out', w.zoomOut);
  const into = button('+', 'crmtrain-zoom-in', w.zoomIn);
  const close = button(w.close, 'crmtrain-zoom-close');
  bar.append(hint, out, into, close);
  const body = document.createElement('div');
  body.className = 'crmtrain-zoom-body';
  body.tabIndex = 0;
  const big = document.createElement('img');
  big.src = img.src;
  big.alt = img.alt;
  big.draggable = false;
  body.appendChild(big);
  view.append(bar, body);

  let scale = 1;
  // Sized from the shown image, so the view lays out at once, before the copy has decoded.
  const ratio = img.clientHeight / (img.clientWidth || 1);
  const resize = () => {
    big.style.width = `${fullWidth(img) * scale}px`;
    big.style.height = `${fullWidth(img) * scale * ratio}px`;
  };
  const zoom = (factor: number) => {
    const fit = Math.min(1, (body.clientWidth - 24) / fullWidth(img));
    const next = Math.min(3, Math.max(fit, scale * factor));
    // Keep the point in the middle of the view where it is.
    const cx = (body.scrollLeft + body.clientWidth / 2) / (big.clientWidth || 1);
    const cy = (body.scrollTop + body.clientHeight / 2) / (big.clientHeight || 1);
    scale = next;
    resize();
    body.scrollLeft = cx * big.clientWidth - body.clientWidth / 2;
    body.scrollTop = cy * big.clientHeight - body.clientHeight / 2;
  };
  const dismiss = () => {
    view.remove();
    from.focus();
  };
  out.addEventListener('click', () => zoom(1 / STEP));
  into.addEventListener('click', () => zoom(STEP));
  close.addEventListener('click', dismiss);
  view.addEventListener('keydown', event => {
    const actions: Record<string, () => void> = { Escape: dismiss, '+': () => zoom(STEP), '=': () => zoom(STEP), '-': () => zoom(1 / STEP) };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      event.stopPropagation();
      action();
    }
  });
  dragToScroll(body);
  resize();
  document.body.appendChild(view);
  body.scrollLeft = at.x * big.clientWidth - body.clientWidth / 2;
  body.scrollTop = at.y * big.clientHeight - body.clientHeight / 2;
  body.focus();
}

/** Give one rendered diagram its button, shown while the image is narrower than drawn. */
function decorate(img: HTMLImageElement, panel: NotebookPanel): void {
  const figure = img.parentElement;
  if (!figure) {
    return;
  }
  const w = words(panel);
  const open = button(`⤢ ${w.zoom}`, 'crmtrain-zoom', w.zoom);
  open.addEventListener('click', () => openView(img, words(panel), open, focusPoint(img)));
  figure.insertBefore(open, img);
  img.addEventListener('click', event => shrunk(img) && openView(img, words(panel), open, focusPoint(img, event)));
  // The button follows the top of the notebook's scrolled view down a tall diagram. (CSS
  // "sticky" cannot: JupyterLab's markdown output scrolls on its own, so it would stick there.)
  const scroller = figure.closest('.jp-WindowedPanel-outer');
  const follow = () => {
    if (scroller && figure.classList.contains('crmtrain-mod-shrunk')) {
      const top = scroller.getBoundingClientRect().top - figure.getBoundingClientRect().top + 4;
      const lowest = figure.clientHeight - open.offsetHeight;
      open.style.transform = `translateY(${Math.max(0, Math.min(top, lowest))}px)`;
    }
  };
  scroller?.addEventListener('scroll', follow, { passive: true });
  const update = () => {
    figure.classList.toggle('crmtrain-mod-shrunk', shrunk(img));
    follow();
  };
  new ResizeObserver(update).observe(img);
  img.addEventListener('load', update);
  update();
}

/** Watch ``panel`` for Mermaid diagrams as JupyterLab renders them (asynchronously, and again on re-render). */
export function watchDiagrams(panel: NotebookPanel): void {
  const seen = new WeakSet<HTMLImageElement>();
  const scan = () =>
    panel.content.node.querySelectorAll<HTMLImageElement>('.jp-RenderedMermaid figure > img').forEach(img => {
      if (!seen.has(img)) {
        seen.add(img);
        decorate(img, panel);
      }
    });
  let pending = false; // widgets change the page often: look once per frame at most
  const observer = new MutationObserver(() => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        scan();
      });
    }
  });
  observer.observe(panel.content.node, { childList: true, subtree: true });
  panel.disposed.connect(() => observer.disconnect());
  scan();
}
