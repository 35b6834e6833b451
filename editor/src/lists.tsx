/**
 * The editor's list buttons (with words) and the part "Working with clients", whose one
 * pipeline can become several.
 */

import { FieldProps, IconButtonProps } from '@rjsf/utils';
import * as React from 'react';

import { IContext } from './fields';

/** rjsf's list buttons with words (its own draw Bootstrap glyph icons JupyterLab does not have). */
function button(text: (words: Record<string, string>) => string, kind: string) {
  return function Button(props: IconButtonProps): JSX.Element {
    const { icon, iconType, uiSchema, registry, className, ...rest } = props as any;
    const words = (registry?.formContext as IContext | undefined)?.words ?? {};
    const label = text(words);
    return (
      <button type="button" {...rest} className={`jp-mod-styled crmtrain-editor-${kind} ${className ?? ''}`} title={label} aria-label={label}>
        {kind === 'add' ? `+ ${label}` : kind === 'remove' ? '✕' : kind === 'up' ? '↑' : kind === 'down' ? '↓' : label}
      </button>
    );
  };
}

export const BUTTONS = {
  AddButton: function AddButton(props: IconButtonProps): JSX.Element {
    const Inner = ADD;
    return (
      <div className="row">
        <p className={props.className}>
          <Inner {...props} className="" />
        </p>
      </div>
    );
  },
  RemoveButton: button(w => w.remove ?? 'Remove', 'remove'),
  MoveUpButton: button(w => w.up ?? '↑', 'up'),
  MoveDownButton: button(w => w.down ?? '↓', 'down'),
  CopyButton: button(() => '⧉', 'copy')
};
const ADD = button(w => w.add ?? 'Add', 'add');

function NoField(): null {
  return null;
}

/**
 * Working with clients: one deal pipeline, or several ("воронки") — never both keys. "Add a
 * pipeline" turns the one into the first of a list and adds an empty second.
 */
export function ClientWorkField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const value = props.formData ?? {};
  const several = Array.isArray(value.pipelines) && value.pipelines.length > 0;
  const ui: any = { ...props.uiSchema };
  delete ui['ui:field'];
  if (several) {
    ui.pipeline = { 'ui:field': NoField };
  } else {
    ui.pipelines = { 'ui:field': NoField };
  }
  const addPipeline = () => {
    const next: any = { ...value, pipelines: [...(several ? value.pipelines : value.pipeline ? [value.pipeline] : []), {}] };
    delete next.pipeline;
    props.onChange(next);
  };
  const { ObjectField } = props.registry.fields;
  return (
    <div>
      <ObjectField {...props} uiSchema={ui} />
      {props.schema.properties?.pipelines ? (
        <button type="button" className="jp-mod-styled crmtrain-editor-add-pipeline" onClick={addPipeline}>
          {`+ ${context.words.addPipeline}`}
        </button>
      ) : null}
    </div>
  );
}
