// A search box with a magnifier, labelled for screen readers; filters as the user types.
import { Icon } from './Icon.tsx';

export interface SearchFieldProps {
  label: string;
  /** Shown in the empty box when the label is too long to fit there; the label by default. */
  placeholder?: string;
  value: string;
  onInput: (value: string) => void;
  autofocus?: boolean;
}

export function SearchField({ label, placeholder, value, onInput, autofocus }: SearchFieldProps) {
  return (
    <label class="search">
      <Icon name="search" size={16} />
      <span class="visually-hidden">{label}</span>
      <input
        type="search"
        placeholder={placeholder ?? label}
        value={value}
        autocomplete="off"
        spellcheck={false}
        data-autofocus={autofocus ? '' : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    </label>
  );
}
