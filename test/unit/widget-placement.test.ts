// How a host's `mode` and `offset` are read at init: custom properties for the offsets, a clear error for a mistake.
import { describe, expect, it } from 'vitest';
import { layoutOf, type Offset, offsetProperties } from '../../src/widget/placement.ts';

describe('layoutOf', () => {
  it('is floating unless the host asks for docked or page, and refuses anything else', () => {
    expect(layoutOf(undefined)).toBe('floating');
    expect(layoutOf('docked')).toBe('docked');
    expect(layoutOf('page')).toBe('page');
    expect(() => layoutOf('dock')).toThrow('mode must be floating, docked, page, not "dock"');
  });
});

describe('offsetProperties', () => {
  it('turns each edge the host names into a pixel custom property, and nothing else', () => {
    expect(offsetProperties({ top: 56, side: 0 })).toEqual([
      ['--parley-offset-top', '56px'],
      ['--parley-offset-side', '0px'],
    ]);
    expect(offsetProperties(undefined)).toEqual([]);
  });

  it('refuses a negative, non-numeric or unknown offset with a message naming it', () => {
    expect(() => offsetProperties({ top: -4 })).toThrow('offset.top must be a number of pixels, 0 or more');
    expect(() => offsetProperties({ bottom: '56px' } as unknown as Offset)).toThrow('offset.bottom');
    expect(() => offsetProperties({ top: Number.NaN })).toThrow('offset.top');
    expect(() => offsetProperties({ left: 8 } as unknown as Offset)).toThrow('unknown offset "left"');
  });
});
