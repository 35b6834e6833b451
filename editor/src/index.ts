/**
 * crmtrain-editor: the responsible specialist edits the regulation as forms and tables, part by
 * part, in JupyterLab — on the hub, or alone with `crmtrain edit` (which opens the page with
 * `?crmtrain-edit=PATH`). Open it from the launcher, the command palette, or a YAML file's
 * context menu in the file browser.
 */

import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { IMermaidManager } from '@jupyterlab/mermaid';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';

import { RegulationEditor } from './editor';

const OPEN = 'crmtrain-editor:open';
const DEFAULT_FILE = 'regulation.yaml';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'crmtrain-editor:plugin',
  description: "crmtrain's regulation editor",
  autoStart: true,
  optional: [ILauncher, ICommandPalette, ILayoutRestorer, IFileBrowserFactory, IMermaidManager, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    browsers: IFileBrowserFactory | null,
    mermaid: IMermaidManager | null,
    rendermime: IRenderMimeRegistry | null
  ) => {
    const tracker = new WidgetTracker<MainAreaWidget<RegulationEditor>>({ namespace: 'crmtrain-editor' });
    const renderMermaid = async (source: string): Promise<string> => {
      if (!mermaid) {
        return '';
      }
      return (await mermaid.renderSvg(source)).svg;
    };
    const context = {
      rendermime,
      renderMermaid,
      openNotebook: (path: string) =>
        void app.commands.execute('docmanager:open', { path, options: { mode: 'split-right' } })
    };

    app.commands.addCommand(OPEN, {
      label: args => (args.path ? `${PathExt.basename(String(args.path))}` : 'Regulation editor'),
      caption: 'Edit the CRM regulation as forms (crmtrain)',
      execute: args => {
        const selected = browsers?.tracker.currentWidget?.selectedItems().next();
        const folder = browsers?.tracker.currentWidget?.model.path ?? '';
        const path = String(
          args.path ??
            (selected && !selected.done && /\.ya?ml$/.test(selected.value.path) ? selected.value.path : PathExt.join(folder, DEFAULT_FILE))
        );
        const open = tracker.find(w => w.content.path === path);
        if (open) {
          app.shell.activateById(open.id);
          return open;
        }
        const content = new RegulationEditor(path, context);
        const widget = new MainAreaWidget({ content });
        widget.id = `crmtrain-editor-${path}`;
        widget.title.label = PathExt.basename(path);
        widget.title.closable = true;
        content.onDirty = dirty => {
          widget.title.className = dirty ? 'jp-mod-dirty' : '';
        };
        void tracker.add(widget);
        app.shell.add(widget, 'main');
        return widget;
      }
    });
    if (launcher) {
      launcher.add({ command: OPEN, category: 'crmtrain', rank: 0 });
    }
    if (palette) {
      palette.addItem({ command: OPEN, category: 'crmtrain' });
    }
    app.contextMenu.addItem({ command: OPEN, selector: '.jp-DirListing-item[data-file-type="yaml"]', rank: 1 });
    if (restorer) {
      void restorer.restore(tracker, { command: OPEN, args: w => ({ path: w.content.path }), name: w => w.content.path });
    }
    const wanted = new URLSearchParams(window.location.search).get('crmtrain-edit');
    if (wanted) {
      void app.restored.then(() => app.commands.execute(OPEN, { path: wanted }));
    }
  }
};

export default plugin;
