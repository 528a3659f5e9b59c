// Loads the extras chunk (decision 014), the parts of the widget few sessions use, the first time one of
// them shows: one classic <script> next to the main bundle, checked by Subresource Integrity, and no eval,
// inline script or blob, so that a host's Content Security Policy that admits the widget admits it too.
// The chunk uses the main bundle's modules (one Preact, one widget context), handed over on its element.
import { file, integrity, shared } from 'parley:extras-chunk';
import type { Extras } from './extras/index.ts';

/** What the chunk finds on the <script> element running it: what it imports, and where it registers. */
export interface ExtrasHandover {
  shared: readonly unknown[];
  register(extras: Extras): void;
}

export type ExtrasScript = HTMLScriptElement & { parleyExtras?: ExtrasHandover };

// Captured while the main bundle runs (afterwards `currentScript` is null): the chunk is served next to it,
// and a host's nonce that let the main bundle run lets the chunk run.
const mainScript = document.currentScript as HTMLScriptElement | null;

let loaded: Extras | undefined;
let loading: Promise<Extras> | undefined;

/** The chunk's parts if it has loaded, to show them without a loading state. */
export function loadedExtras(): Extras | undefined {
  return loaded;
}

/**
 * Loads the chunk once; after a failure (offline, a deploy that replaced it, an integrity mismatch) the
 * next call tries again. `server` is where the chunk is when the main bundle was not run from a <script src>.
 */
export function loadExtras(server: string): Promise<Extras> {
  loading ??= new Promise<Extras>((resolve, reject) => {
    const script: ExtrasScript = document.createElement('script');
    script.src = new URL(file, mainScript?.src || `${server}/`).href;
    script.integrity = integrity;
    // Integrity checks of a cross-origin script need a CORS request; the server answers it for any origin.
    script.crossOrigin = 'anonymous';
    script.async = true;
    if (mainScript?.nonce) script.nonce = mainScript.nonce;
    script.parleyExtras = {
      shared,
      register: (extras) => {
        loaded = extras;
        resolve(extras);
      },
    };
    const failed = (reason: string) => {
      script.remove();
      loading = undefined;
      reject(new Error(reason));
    };
    // A script that ran without registering is not the chunk this bundle was built with.
    script.onload = () => {
      if (!loaded) failed(`${script.src} did not register the widget's extras`);
    };
    script.onerror = () => failed(`${script.src} could not be loaded`);
    // In the document, not the widget's shadow root: there the chunk's `currentScript` would be null.
    document.head.append(script);
  });
  return loading;
}
