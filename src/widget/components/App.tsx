// The widget's root: the launcher and the floating or docked panel, or the panel alone in full-page mode,
// plus the live region that reads new messages out to screen readers.
import { usePanel, useValue, useWidget, Widget, type WidgetContext } from '../state.ts';
import { Launcher } from './Launcher.tsx';
import { Panel } from './Panel.tsx';

export function App({ context }: { context: WidgetContext }) {
  return (
    <Widget.Provider value={context}>
      <Root />
    </Widget.Provider>
  );
}

function Root() {
  const { options, announcement } = useWidget();
  const { open } = usePanel();
  const announced = useValue(announcement);
  return (
    <>
      {(options.mode === 'page' || open) && <Panel />}
      {options.mode !== 'page' && <Launcher />}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announced}
      </div>
    </>
  );
}
