// Uploads and downloads as a browser's fetch makes them, and files of the kinds the attachment tests need:
// real images, spreadsheets as their containers really are, and files that pretend to be something else.
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { TestUser } from './clients.ts';

export interface UploadAnswer {
  status: number;
  body: any;
}

/** A multipart upload of one `file` part, declared with whatever name and type the test chooses. */
export async function upload(
  baseUrl: string,
  user: TestUser,
  conversationId: string,
  file: { bytes: Buffer | string; name: string; type?: string },
): Promise<UploadAnswer> {
  const form = new FormData();
  const bytes = typeof file.bytes === 'string' ? file.bytes : new Uint8Array(file.bytes);
  form.append('file', new Blob([bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const response = await fetch(`${baseUrl}/api/conversations/${conversationId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}` },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

/** A download's status, headers and bytes; with a token, or none for a signed URL. */
export async function download(baseUrl: string, path: string, user?: TestUser) {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: user ? { authorization: `Bearer ${user.token}` } : {},
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

export async function signedUrl(
  baseUrl: string,
  user: TestUser,
  attachmentId: string,
  variant: 'original' | 'thumbnail' = 'original',
) {
  const response = await fetch(`${baseUrl}/api/attachments/${attachmentId}/url`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ variant }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A text of more than the sniffed first KB, with markup only past it: admitted, and must stay inert. */
export const textWithLateScript = `${'notes line\n'.repeat(120)}<script>document.title = 'pwned'</script>\n`;

/** A photo-like image with a comment in its metadata that must not survive re-encoding. */
export function pngImage(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .png()
    .withExifMerge({ IFD0: { ImageDescription: 'secret-location-marker' } })
    .toBuffer();
}

/** A ZIP of stored (uncompressed) entries: the container of XLSX, ODS and plain archives alike. */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const xlsx = () =>
  zip({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    'xl/workbook.xml': '<workbook/>',
  });

export const ods = () =>
  zip({
    mimetype: 'application/vnd.oasis.opendocument.spreadsheet',
    'content.xml': '<office:document-content/>',
  });

/** A Compound File with one stream of the given name: `Workbook` for .xls, anything else for .doc or .msi. */
export function compoundFile(streamName: string): Buffer {
  const sector = 512;
  const file = Buffer.alloc(sector * 4, 0);
  const header = file.subarray(0, sector);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // one FAT sector…
  header.writeUInt32LE(1, 0x30); // …and the directory in sector 1
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(0xffffffff, 0x4c + i * 4);
  header.writeUInt32LE(0, 0x4c); // the FAT is sector 0
  const fat = file.subarray(sector, sector * 2);
  fat.fill(0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0: FAT
  fat.writeUInt32LE(0xfffffffe, 4); // sector 1: directory, end of chain
  fat.writeUInt32LE(0xfffffffe, 8); // sector 2: the stream
  const directory = file.subarray(sector * 2, sector * 3);
  const entry = (index: number, name: string, type: number) => {
    const at = index * 128;
    directory.write(name, at, 'utf16le');
    directory.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    directory[at + 0x42] = type;
  };
  entry(0, 'Root Entry', 5);
  entry(1, streamName, 2);
  return file;
}
