// The <parley-chat> element: an open shadow root holding the widget's styles and UI, so that the host page's
// CSS cannot reach in and the widget's cannot leak out. Theme, position and mode are attributes on it.
import { type ComponentChild, render } from 'preact';
import { styles } from './styles.ts';

export class ParleyChatElement extends HTMLElement {
  private readonly mountPoint: HTMLDivElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = styles;
    this.mountPoint = document.createElement('div');
    this.mountPoint.className = 'root';
    root.append(style, this.mountPoint);
  }

  /** Renders the UI into the shadow root; `null` unmounts it. */
  show(ui: ComponentChild): void {
    render(ui, this.mountPoint);
  }
}

export function createChatElement(): ParleyChatElement {
  // A second copy of the script on the page reuses the first one's definition.
  if (!customElements.get('parley-chat')) customElements.define('parley-chat', ParleyChatElement);
  return document.createElement('parley-chat') as ParleyChatElement;
}
