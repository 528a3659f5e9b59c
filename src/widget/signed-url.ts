// A short-lived signed URL of an attachment, asked for when the file is shown (nothing in the page holds
// the user's token); undefined until it arrives, or when it cannot be had.
import { useEffect, useState } from 'preact/hooks';
import type { AttachmentVariant } from '../protocol/attachments.ts';
import { useWidget } from './state.ts';

export function useSignedUrl(id: string, variant: AttachmentVariant, wanted = true): string | undefined {
  const { session } = useWidget();
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    session.client.attachments.url(id, variant).then(
      (signed) => current && setUrl(signed.url),
      () => current && setUrl(undefined),
    );
    return () => {
      current = false;
    };
  }, [id, variant, wanted]);
  return url;
}
