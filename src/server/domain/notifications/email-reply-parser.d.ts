// The part of email-reply-parser (1.9, which ships no types) that inbound-mail.ts uses.
declare module 'email-reply-parser' {
  interface Email {
    /** The reply's own text: without quoted text, and with `aggressive`, without signatures. */
    getVisibleText(options?: { aggressive?: boolean }): string;
  }
  export default class EmailReplyParser {
    read(text: string): Email;
  }
}
