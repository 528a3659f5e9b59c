// The fields the user's notification settings and the company's defaults share: what notifies, a part
// turned on or off with what belongs to it, and after how long an email goes out.
import type { ComponentChildren } from 'preact';
import type { NotificationLevel } from '../../protocol/notifications.ts';
import type { NotificationStrings } from './notification-strings.ts';
import { emailDelayOptions } from './notification-times.ts';

const levels: NotificationLevel[] = ['all', 'mentions', 'nothing'];

interface LevelChoicesProps {
  /** The radio group's name: one per form on the page. */
  name: string;
  legend: string;
  level: NotificationLevel;
  strings: NotificationStrings;
  onChange: (level: NotificationLevel) => void;
}

export function LevelChoices({ name, legend, level, strings, onChange }: LevelChoicesProps) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {levels.map((choice) => (
        <label key={choice} class="choice">
          <input type="radio" name={name} checked={level === choice} onChange={() => onChange(choice)} />
          {strings.levels[choice]}
        </label>
      ))}
    </fieldset>
  );
}

interface EmailDelayProps {
  seconds: number;
  disabled: boolean;
  strings: NotificationStrings;
  onChange: (seconds: number) => void;
}

export function EmailDelay({ seconds, disabled, strings, onChange }: EmailDelayProps) {
  return (
    <label class="field">
      <span class="field-label">{strings.emailDelay}</span>
      <select
        value={String(seconds)}
        disabled={disabled}
        onChange={(event) => onChange(Number(event.currentTarget.value))}
      >
        {emailDelayOptions(seconds).map((choice) => (
          <option key={choice} value={String(choice)}>
            {strings.delay(choice)}
          </option>
        ))}
      </select>
    </label>
  );
}

interface SwitchedPartProps {
  legend: string;
  label: string;
  on: boolean;
  onChange: (on: boolean) => void;
  /** What belongs to the part (its delay, its devices), shown below the switch. */
  children?: ComponentChildren;
}

/** A part of the settings (email, push, quiet hours) with its on/off switch. */
export function SwitchedPart({ legend, label, on, onChange, children }: SwitchedPartProps) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <label class="choice">
        <input type="checkbox" checked={on} onChange={(event) => onChange(event.currentTarget.checked)} />
        {label}
      </label>
      {children}
    </fieldset>
  );
}
