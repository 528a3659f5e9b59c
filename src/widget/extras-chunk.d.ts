// What the build (scripts/build-widget.ts) writes into the main bundle about the extras chunk it built
// first (decision 014). Only the build has this module; tests import nothing that loads the chunk.
declare module 'parley:extras-chunk' {
  /** The chunk's content-hashed file name, served next to the main bundle. */
  export const file: string;
  /** Its Subresource Integrity (`sha384-…`): the browser runs the chunk only if it is this very build. */
  export const integrity: string;
  /** The main bundle's modules the chunk imports, in the order the chunk's build numbered them. */
  export const shared: readonly unknown[];
}
