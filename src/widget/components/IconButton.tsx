// A button that shows only an icon: its label is what screen readers say and what the tooltip shows.
import { Icon, type IconName } from './Icon.tsx';

export interface IconButtonProps {
  icon: IconName;
  label: string;
  onClick: () => void;
  /** The tooltip when it should say more than the label (e.g. the state a toggle would change to). */
  title?: string;
  /** For toggles: whether it is on. */
  pressed?: boolean;
  small?: boolean;
}

export function IconButton({ icon, label, onClick, title, pressed, small }: IconButtonProps) {
  return (
    <button
      type="button"
      class={small ? 'icon-button small' : 'icon-button'}
      aria-label={label}
      aria-pressed={pressed}
      title={title ?? label}
      onClick={onClick}
    >
      <Icon name={icon} size={small ? 16 : 20} />
    </button>
  );
}
