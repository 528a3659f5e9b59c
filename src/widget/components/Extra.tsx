// Shows one part of the extras chunk (decision 014) where it belongs: at once when the chunk is here,
// otherwise a short "Loading…" while it loads and, if it cannot be loaded, why, with a way to try again.
// The part brings the chunk's stylesheet into the shadow root with it.
import { type ComponentProps, type FunctionComponent, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Extras } from '../extras/index.ts';
import { loadExtras, loadedExtras } from '../extras-loader.ts';
import { useWidget } from '../state.ts';

type Parts = Omit<Extras, 'styles'>;
// `& object`: a part that takes no props has `unknown` ones, and is given `{}`.
type PartProps = { [K in keyof Parts]: ComponentProps<Parts[K]> & object };

export interface ExtraProps<K extends keyof Parts> {
  part: K;
  props: PartProps[K];
}

export function Extra<K extends keyof Parts>({ part, props }: ExtraProps<K>) {
  const { strings, options } = useWidget();
  const [extras, setExtras] = useState(loadedExtras);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (extras) return;
    let current = true;
    loadExtras(options.server).then(
      (loaded) => current && setExtras(loaded),
      (error: unknown) => {
        console.warn('Parley: a part of the chat could not be loaded.', error);
        if (current) setFailed(true);
      },
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  if (extras) {
    // `ExtraProps` pairs each part with its props; TypeScript cannot follow that pairing through K.
    const Part = extras[part] as FunctionComponent<object>;
    return (
      <>
        <style>{extras.styles}</style>
        {h(Part, props)}
      </>
    );
  }
  return failed ? (
    <p class="notice extra-state" role="alert">
      {strings.extrasFailed}{' '}
      <button
        type="button"
        class="link-button"
        onClick={() => {
          setFailed(false);
          setAttempt(attempt + 1);
        }}
      >
        {strings.tryAgain}
      </button>
    </p>
  ) : (
    <p class="notice extra-state" role="status">
      {strings.loading}
    </p>
  );
}
