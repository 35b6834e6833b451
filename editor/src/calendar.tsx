/**
 * The working calendar as tables: a row per weekday (working or not, its own hours where they
 * differ from the usual day), then the extra working days and the holidays as lists of dates.
 *
 * A weekday's hours are written to `hours` only when they differ from the usual opens–closes,
 * and the form starts from the schema's default calendar when the file has none, so an
 * untouched calendar is not written at all.
 */

import { FieldProps } from '@rjsf/utils';
import * as React from 'react';

import { IContext } from './fields';
import { messages } from './tables';

function NoField(): null {
  return null;
}

type DayHours = { opens?: string; closes?: string };

/** The weekdays: working or not, and their hours. */
function WeekTable(props: { base: string; value: any; schema: any; errors: any; words: Record<string, string>; onChange: (v: any) => void }): JSX.Element {
  const { value, schema, words } = props;
  const days: string[] = schema.properties?.workdays?.items?.enum ?? [];
  const labels: Record<string, string> = schema.properties?.workdays?.items?.['x-labels'] ?? {};
  const workdays: string[] = value.workdays ?? [];
  const hours: Record<string, DayHours> = value.hours ?? {};
  const opens = value.opens ?? '';
  const closes = value.closes ?? '';
  const setWorking = (day: string, on: boolean) =>
    props.onChange({ ...value, workdays: days.filter(d => (d === day ? on : workdays.includes(d))) });
  const setHours = (day: string, edge: 'opens' | 'closes', time: string) => {
    const own = { opens: hours[day]?.opens ?? opens, closes: hours[day]?.closes ?? closes, [edge]: time || (edge === 'opens' ? opens : closes) };
    const next = { ...hours };
    if (own.opens === opens && own.closes === closes) {
      delete next[day];
    } else {
      next[day] = own;
    }
    props.onChange({ ...value, hours: next });
  };
  const title = (key: string) => schema.properties?.[key]?.title ?? key;
  return (
    <div className="form-group field" id={`${props.base}_hours`}>
      <label className="control-label">{title('hours')}</label>
      <table className="crmtrain-editor-grid crmtrain-editor-week">
        <thead>
          <tr><th>{words.weekday}</th><th>{title('workdays')}</th><th>{title('opens')}</th><th>{title('closes')}</th></tr>
        </thead>
        <tbody>
          {days.map(day => {
            const working = workdays.includes(day);
            const errors = messages(props.errors?.hours?.[day]);
            return (
              <tr key={day} className={working ? '' : 'crmtrain-mod-off'}>
                <th scope="row">{labels[day] ?? day}</th>
                <td><input type="checkbox" id={`${props.base}_workdays_${day}`} aria-label={`${labels[day] ?? day}: ${title('workdays')}`}
                  checked={working} onChange={e => setWorking(day, e.target.checked)} /></td>
                {(['opens', 'closes'] as const).map(edge => (
                  <td key={edge}>
                    <input type="time" id={`${props.base}_hours_${day}_${edge}`} aria-label={`${labels[day] ?? day}: ${title(edge)}`}
                      disabled={!working} value={hours[day]?.[edge] ?? (edge === 'opens' ? opens : closes)}
                      onChange={e => setHours(day, edge, e.target.value)} />
                  </td>
                ))}
                {errors.length ? <td className="text-danger">{errors.join('; ')}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {messages({ w: props.errors?.workdays }).map(e => <div key={e} className="text-danger crmtrain-editor-error">{e}</div>)}
    </div>
  );
}

/** The calendar: time zone and the usual day as a form, the week and the dates as tables. */
export function CalendarField(props: FieldProps): JSX.Element {
  const context = props.formContext as IContext;
  const value = props.formData && Object.keys(props.formData).length ? props.formData : { ...(props.schema.default as any) };
  const ui: any = { ...props.uiSchema, workdays: { 'ui:field': NoField }, hours: { 'ui:field': NoField } };
  delete ui['ui:field'];
  const { ObjectField } = props.registry.fields;
  return (
    <div className="crmtrain-editor-calendar">
      <ObjectField {...props} formData={value} uiSchema={ui} />
      <WeekTable base={props.idSchema.$id} value={value} schema={props.schema} errors={props.errorSchema} words={context.words}
        onChange={props.onChange} />
    </div>
  );
}
