// Whether a Compound File (the container of .xls, but also of .doc, .ppt and .msi installers) holds an
// Excel workbook: its magic bytes alone say only "compound file", so the directory is read for the
// workbook stream. Anything malformed is simply not a workbook.

const SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;
const HEADER_DIFAT_ENTRIES = 109;
const DIRECTORY_ENTRY_BYTES = 128;
const STREAM_OBJECT = 2;
/** BIFF8 (Excel 97 and later) and BIFF5 name their workbook stream so. */
const WORKBOOK_STREAMS = new Set(['workbook', 'book']);

function readSectors(bytes: Buffer) {
  const sectorShift = bytes.readUInt16LE(0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return null;
  const size = 1 << sectorShift;
  const sectorCount = Math.floor(bytes.length / size) - 1;
  const offsetOf = (sector: number) => (sector + 1) * size;
  const valid = (sector: number) => sector < sectorCount;
  return { size, sectorCount, offsetOf, valid };
}

/** The FAT: the next sector of each sector, gathered from the sectors the DIFAT lists. */
function readFat(bytes: Buffer, sectors: NonNullable<ReturnType<typeof readSectors>>): number[] | null {
  const fatSectors: number[] = [];
  for (let i = 0; i < HEADER_DIFAT_ENTRIES; i++) fatSectors.push(bytes.readUInt32LE(0x4c + i * 4));
  let difat = bytes.readUInt32LE(0x44);
  for (let hops = 0; difat !== END_OF_CHAIN && difat !== FREE_SECTOR; hops++) {
    if (!sectors.valid(difat) || hops > sectors.sectorCount) return null;
    const base = sectors.offsetOf(difat);
    const perSector = sectors.size / 4 - 1;
    for (let i = 0; i < perSector; i++) fatSectors.push(bytes.readUInt32LE(base + i * 4));
    difat = bytes.readUInt32LE(base + perSector * 4);
  }
  const fat: number[] = [];
  for (const sector of fatSectors) {
    if (sector === FREE_SECTOR || sector === END_OF_CHAIN) continue;
    if (!sectors.valid(sector)) return null;
    const base = sectors.offsetOf(sector);
    for (let i = 0; i < sectors.size / 4; i++) fat.push(bytes.readUInt32LE(base + i * 4));
  }
  return fat;
}

function directoryNames(bytes: Buffer): string[] | null {
  const sectors = readSectors(bytes);
  const fat = sectors && readFat(bytes, sectors);
  if (!sectors || !fat) return null;
  const names: string[] = [];
  let sector = bytes.readUInt32LE(0x30);
  for (let hops = 0; sector !== END_OF_CHAIN; hops++) {
    // A chain longer than the file has sectors loops.
    if (!sectors.valid(sector) || hops > sectors.sectorCount) return null;
    const base = sectors.offsetOf(sector);
    for (let entry = base; entry < base + sectors.size; entry += DIRECTORY_ENTRY_BYTES) {
      const nameBytes = bytes.readUInt16LE(entry + 0x40);
      if (bytes[entry + 0x42] !== STREAM_OBJECT || nameBytes < 2 || nameBytes > 64) continue;
      names.push(bytes.toString('utf16le', entry, entry + nameBytes - 2));
    }
    sector = fat[sector] ?? END_OF_CHAIN;
  }
  return names;
}

export function isLegacyWorkbook(bytes: Buffer): boolean {
  if (bytes.length < 1024 || !bytes.subarray(0, 8).equals(SIGNATURE)) return false;
  return (directoryNames(bytes) ?? []).some((name) => WORKBOOK_STREAMS.has(name.toLowerCase()));
}
