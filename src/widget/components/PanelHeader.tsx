// The bar on top of every view: an optional back button, a title with a line under it, actions, and close.
import type { ComponentChildren } from 'preact';
import { useWidget } from '../state.ts';
import { Icon } from './Icon.tsx';

export interface PanelHeaderProps {
  title: ComponentChildren;
  subtitle?: ComponentChildren;
  /** An avatar or icon before the title. */
  leading?: ComponentChildren;
  onBack?: () => void;
  actions?: ComponentChildren;
  titleId?: string;
}

export function PanelHeader({ title, subtitle, leading, onBack, actions, titleId }: PanelHeaderProps) {
  const { strings, options, closePanel } = useWidget();
  return (
    <header class="header">
      {onBack && (
        <button type="button" class="icon-button back" aria-label={strings.back} onClick={onBack}>
          <Icon name="back" />
        </button>
      )}
      {leading}
      <div class="header-text">
        <h2 id={titleId}>{title}</h2>
        {subtitle && <div class="header-subtitle">{subtitle}</div>}
      </div>
      <div class="header-actions">
        {actions}
        {options.mode !== 'page' && (
          <button type="button" class="icon-button" aria-label={strings.closeChat} onClick={closePanel}>
            <Icon name="close" />
          </button>
        )}
      </div>
    </header>
  );
}
