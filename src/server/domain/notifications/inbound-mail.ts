// Reply by email: a reply to a digest lands in its conversation as its user, after three checks — the
// reply address was signed by this Parley for that user and conversation, the From address is that user's,
// and DKIM and DMARC pass wherever the message carries a signature or its domain publishes a policy. The
// quoted digest and the signature are stripped; the files attached go with it. A refusal is answered by a direct message from Parley to
// the user the address names (never dropped silently); mail to an address Parley did not make is refused
// to the sending server.
import { createHash, randomUUID } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { type AuthenticateResult, authenticate, type DNSResolver } from 'mailauth';
import { type AddressObject, simpleParser } from 'mailparser';
import { ParleyError } from '../../../protocol/errors.ts';
import type { Message, User } from '../../../protocol/models.ts';
import type { Database } from '../../store/db.ts';
import { findByClientMsgId } from '../../store/messages.ts';
import { ensureOrganization, findUser, writeProfile } from '../../store/users.ts';
import type { Attachments } from '../attachments/attachments.ts';
import type { Conversations } from '../conversations/conversations.ts';
import type { Messages } from '../messages/messages.ts';
import { SYSTEM_ORG } from '../records/records.ts';
import type { ReplyAddresses } from './reply-addresses.ts';
import { storeReplyFiles } from './reply-attachments.ts';

/** What the receiving server knows of a message besides its bytes. */
export interface InboundEnvelope {
  recipients: readonly string[];
  /** The connecting client's address (for SPF); unknown when a mail provider relays it by webhook. */
  remoteAddress?: string | undefined;
  helo?: string | undefined;
  mailFrom?: string | undefined;
}

export type InboundOutcome =
  | { kind: 'posted'; message: Message }
  /** Refused, and told to the user the address names by a direct message. */
  | { kind: 'refused'; reason: string }
  /** Not a reply address of this Parley: the sending server is told (550). */
  | { kind: 'unknown_recipient' }
  /** A check could not be made now (DNS): the sending server should try again later (451). */
  | { kind: 'try_later'; reason: string };

export interface InboundMailDeps {
  db: Database;
  addresses: ReplyAddresses;
  messages: Messages;
  conversations: Conversations;
  attachments: Attachments;
  /** How names are looked up for DKIM, SPF and DMARC; the system's DNS when unset. */
  resolver?: DNSResolver | undefined;
}

/** The account that answers refused replies. */
const MAIL_BOT: User = {
  id: 'parley-mail',
  displayName: 'Parley',
  email: null,
  orgId: SYSTEM_ORG.id,
  orgKind: SYSTEM_ORG.kind,
  role: 'member',
};

const firstAddress = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field[0] : field)?.value[0]?.address?.toLowerCase() ?? null;

/** Why the message's own authentication does not let it speak for its From address, or null. */
function authenticationFailure(auth: AuthenticateResult): { reason: string; temporary: boolean } | null {
  // An unsigned message has one result, `none`.
  const signatures = auth.dkim.results.filter((signature) => signature.status.result !== 'none');
  const temporary = (result: string) => result === 'temperror' || result === 'temperr';
  if (signatures.some((signature) => temporary(signature.status.result))) {
    return { reason: 'its DKIM signature could not be checked now', temporary: true };
  }
  if (signatures.length > 0 && !signatures.some((signature) => signature.status.result === 'pass')) {
    return { reason: 'its DKIM signature does not verify', temporary: false };
  }
  const dmarc = auth.dmarc ? auth.dmarc.status.result : 'none';
  if (temporary(dmarc))
    return { reason: "its domain's DMARC policy could not be checked now", temporary: true };
  if (dmarc !== 'none' && dmarc !== 'pass') {
    return { reason: "it fails its domain's DMARC policy", temporary: false };
  }
  return null;
}

export function createInboundMail({
  db,
  addresses,
  messages,
  conversations,
  attachments,
  resolver,
}: InboundMailDeps) {
  /** Parley's account, written once per process (again after a failure). */
  let mailBotReady: Promise<void> | undefined;
  const mailBot = () => {
    mailBotReady ??= (async () => {
      await ensureOrganization(db, SYSTEM_ORG);
      await writeProfile(db, MAIL_BOT, { source: 'system' });
    })().catch((error: unknown) => {
      mailBotReady = undefined;
      throw error;
    });
    return mailBotReady;
  };

  /** Tells the user, in a direct message from Parley, about their email reply. */
  async function answer(userId: string, text: string): Promise<void> {
    await mailBot();
    const { conversation } = await conversations.start(MAIL_BOT, { kind: 'direct', memberIds: [userId] });
    await messages.send(MAIL_BOT, { conversationId: conversation.id, clientMsgId: randomUUID(), body: text });
  }

  async function refuse(userId: string, subject: string, reason: string): Promise<InboundOutcome> {
    await answer(userId, `Your email reply "${subject}" was not posted: ${reason}.`);
    return { kind: 'refused', reason };
  }

  return {
    isReplyAddress: addresses.isReplyAddress,

    async receive(raw: Buffer, envelope: InboundEnvelope): Promise<InboundOutcome> {
      const recipient = envelope.recipients.find((address) => addresses.isReplyAddress(address));
      const target = recipient ? await addresses.resolve(recipient) : null;
      if (!target) return { kind: 'unknown_recipient' };
      const user = await findUser(db, target.userId);
      if (!user) return { kind: 'unknown_recipient' };

      const parsed = await simpleParser(raw);
      const subject = (parsed.subject ?? '(no subject)').slice(0, 80);
      const from = firstAddress(parsed.from);
      if (!from || !user.email || from !== user.email.toLowerCase()) {
        return refuse(user.id, subject, `it came from ${from ?? 'no address'}, not from your address`);
      }
      const auth = await authenticate(raw, {
        ip: envelope.remoteAddress,
        helo: envelope.helo,
        sender: envelope.mailFrom ?? from,
        mta: addresses.domain,
        ...(resolver ? { resolver } : {}),
      });
      const failure = authenticationFailure(auth);
      if (failure?.temporary) return { kind: 'try_later', reason: failure.reason };
      if (failure) return refuse(user.id, subject, failure.reason);

      const text = new EmailReplyParser()
        .read(parsed.text ?? '')
        .getVisibleText({ aggressive: true })
        .trim();
      // The same email delivered twice (a retrying server) is one message: its id is the send's key.
      const key = createHash('sha256')
        .update(parsed.messageId ?? raw)
        .digest('hex')
        .slice(0, 40);
      const clientMsgId = `email-${key}`;
      // Posted already: its files are not stored a second time.
      const earlier = await findByClientMsgId(db, user.id, clientMsgId);
      if (earlier) return { kind: 'posted', message: earlier };
      try {
        const files = await storeReplyFiles(attachments, user, target.conversationId, parsed.attachments);
        if (text.length === 0 && files.attachmentIds.length === 0)
          return refuse(user.id, subject, 'it had no text of its own above the quoted digest');
        const message = await messages.send(user, {
          conversationId: target.conversationId,
          clientMsgId,
          body: text,
          attachmentIds: files.attachmentIds,
        });
        if (files.leftOut.length > 0)
          await answer(
            user.id,
            `Your email reply "${subject}" was posted without ${files.leftOut.join(', ')}.`,
          );
        return { kind: 'posted', message };
      } catch (error) {
        if (
          !(error instanceof ParleyError) ||
          error.code === 'unavailable' ||
          error.code === 'rate_limited'
        ) {
          throw error;
        }
        return refuse(user.id, subject, error.message);
      }
    },
  };
}

export type InboundMail = ReturnType<typeof createInboundMail>;
