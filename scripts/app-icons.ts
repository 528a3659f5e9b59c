// Draws the installable app's icons (public/icons/*.png, committed): a speech bubble on Parley's blue, as a
// rounded tile for "any" use and full-bleed for "maskable" use, whose glyph stays inside the central 80 %
// circle that every platform's mask keeps. Run `node --import tsx scripts/app-icons.ts` after changing it.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const BLUE = '#2563eb';
const bubble =
  '<path fill="white" d="M136 140h240a48 48 0 0 1 48 48v136a48 48 0 0 1-48 48H240l-80 64v-64h-24a48 48 0 0 1-48-48V188a48 48 0 0 1 48-48z"/>' +
  `<g fill="${BLUE}"><circle cx="184" cy="256" r="24"/><circle cx="256" cy="256" r="24"/><circle cx="328" cy="256" r="24"/></g>`;

const tile = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="112" fill="${BLUE}"/>${bubble}</svg>`;
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="${BLUE}"/><g transform="translate(256 256) scale(0.72) translate(-256 -256)">${bubble}</g></svg>`;

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(outDir, { recursive: true });
for (const [name, svg, size] of [
  ['icon-192.png', tile, 192],
  ['icon-512.png', tile, 512],
  ['icon-maskable-512.png', maskable, 512],
] as const) {
  await sharp(Buffer.from(svg))
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true })
    .toFile(join(outDir, name));
  console.log(`public/icons/${name}`);
}
