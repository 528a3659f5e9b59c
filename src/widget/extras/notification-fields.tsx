// The fields the user's notification settings and the company's defaults share: what notifies, and after
// how long an email goes out.
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
