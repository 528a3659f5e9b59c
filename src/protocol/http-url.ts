// Links Parley stores and shows, and addresses it calls: http(s) only — never javascript:, data:, file: or
// other schemes, refused where the URL enters rather than filtered where it is used.
import { z } from 'zod';

export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

export const httpUrlSchema = z
  .string()
  .max(2000)
  .refine(isHttpUrl, 'expected an absolute http:// or https:// URL');
