// Every piece of text the widget shows or announces, per language. Add a language by adding a table of
// the same shape to `tables`; `stringsFor` falls back from `pt-BR` to `pt` to English.

import type { ConversationKind } from '../protocol/models.ts';

const en = {
  chat: 'Chat',
  messages: 'Messages',
  openRecord: 'Open record',
  recordClosed: 'Closed',
  exportRecord: 'Export this conversation (print or save as PDF)',
  openRecordThread: (reference: string) => `Open the conversation about ${reference}`,
  cannotOpenRecord: (reference: string) => `There is no conversation about ${reference} that you can open.`,
  /** The message region of a thread: named after it, so side-by-side regions stay distinguishable. */
  messagesIn: (title: string) => `Messages in ${title}`,
  openChat: (unread: number) => (unread > 0 ? `Open chat, ${unread} unread` : 'Open chat'),
  closeChat: 'Close chat',
  back: 'Back to conversations',
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
  reconnecting: 'Reconnecting… Messages you send now go out when the connection is back.',
  tooManyConnections: 'Chat is open in too many tabs or windows. Close some, then reload this page.',

  newConversation: 'New conversation',
  browseChannels: 'Browse channels',
  searchConversations: 'Search conversations and messages',
  searching: 'Searching…',
  searchIn: (title: string) => `Search in ${title}`,
  searchingIn: (title: string) => `In ${title}`,
  searchEverywhere: 'Search all conversations',
  matchingMessages: 'Matching messages',
  moreResults: 'More results',
  noMessagesFound: (query: string) => `No messages match “${query}”.`,
  searchFailed: (reason: string) => `Search did not work: ${reason}`,
  conversations: 'Conversations',
  records: 'Records',
  noConversations: 'No conversations yet',
  noConversationsHint: 'Start one with a colleague, or join a channel.',
  noMessagesYet: 'No messages yet',
  pickConversation: 'Pick a conversation, or start a new one.',
  you: 'You',
  youPrefix: 'You: ',
  unread: (count: number) => `${count} unread`,
  mentioned: (count: number) => (count === 1 ? '1 mention' : `${count} mentions`),
  muted: 'Muted',
  mute: 'Mute conversation',
  unmute: 'Unmute conversation',
  record: 'Record',
  group: 'Group',
  members: (count: number) => (count === 1 ? '1 member' : `${count} members`),

  online: 'Online',
  away: 'Away',
  presenceOffline: 'Offline',
  lastSeen: (when: string) => `Last seen ${when}`,
  presenceUnknown: 'Status unknown while you are offline',

  loadingMessages: 'Loading messages…',
  cannotLoad: 'Messages could not be loaded.',
  tryAgain: 'Try again',
  loadEarlier: 'Load earlier messages',
  beginning: (title: string, kind: ConversationKind) =>
    kind === 'channel'
      ? `This is the beginning of ${title}.`
      : kind === 'record' || kind === 'notes'
        ? `This is the beginning of the conversation about ${title}.`
        : `This is the beginning of your conversation with ${title}.`,
  today: 'Today',
  yesterday: 'Yesterday',
  justNow: 'just now',
  sending: 'Sending…',
  notSent: 'Not sent',
  retry: 'Retry',
  discard: 'Discard',
  seenBy: (names: string) => `Seen by ${names}`,
  jumpToLatest: 'Jump to latest',
  newMessagesBelow: (count: number) => (count === 1 ? '1 new message' : `${count} new messages`),
  newMessages: 'New messages',

  messageActions: (name: string) => `Actions on the message from ${name}`,
  reactWith: (emoji: string) => `React with ${emoji}`,
  addReaction: 'Add reaction',
  chooseReaction: 'Choose a reaction',
  searchEmoji: 'Search emoji',
  noEmoji: 'No emoji found.',
  reactedBy: (names: string[], emoji: string) => `${names.join(', ')} reacted with ${emoji}`,
  reply: 'Reply',
  edit: 'Edit',
  delete: 'Delete',
  copyLink: 'Copy link',
  linkCopied: 'Link to the message copied.',
  deleted: 'This message was deleted',
  deleteTitle: 'Delete this message?',
  deleteHint: 'It will be deleted for everyone in the conversation.',
  cancel: 'Cancel',
  edited: '(edited)',
  editedAt: (when: string) => `Edited ${when}`,
  showVersions: (edited: string) => `${edited}: show earlier versions`,
  earlierVersions: 'Earlier versions',
  currentVersion: 'Now',
  versionTimes: (written: string, replaced: string) => `Written ${written} · replaced ${replaced}`,
  editMessage: 'Edit message',
  editHint: 'Enter to save, Esc to cancel, Shift+Enter for a new line',
  replyingTo: 'Replying to',
  cancelReply: 'Cancel reply',
  dropFiles: 'Drop files to attach them to your message',
  attachFiles: 'Attach files',
  removeFile: (name: string) => `Remove ${name}`,
  uploading: (percent: number) => `${percent} %`,
  openImage: (name: string) => `Open image ${name}`,
  downloadFile: (name: string) => `Download ${name}`,
  close: 'Close',
  originalDeleted: 'Original message deleted',
  typing: (names: string[]) =>
    names.length === 1
      ? `${names[0]} is typing…`
      : names.length === 2
        ? `${names[0]} and ${names[1]} are typing…`
        : 'Several people are typing…',
  newMessageFrom: (name: string, text: string) => `${name}: ${text}`,

  message: 'Message',
  messagePlaceholder: (title: string) => `Message ${title}`,
  send: 'Send message',
  composerHint:
    'Enter to send, Shift+Enter for a new line, @ to mention someone, ↑ to edit your last message',
  /** Whom `@channel` or `@here` notifies: everyone but the sender, or only those online now. */
  broadcastHint: (broadcast: 'channel' | 'here', others: number) =>
    broadcast === 'here'
      ? 'Notifies the others online now'
      : others === 1
        ? 'Notifies the other member'
        : `Notifies all ${others} other members`,
  mentionSuggestions: 'People to mention',
  archived: 'This conversation is archived: it can be read but not written to.',
  audience: 'Who sees what you write',
  everyone: 'Everyone',
  internalNote: 'Internal note',
  notePlaceholder: 'Write an internal note',
  visibleTo: (names: string[]) => `Visible to ${names.join(', ')}`,
  onlyVisibleTo: (names: string[]) => `Internal note: only ${names.join(', ')} can see it`,
  notFound: 'This conversation does not exist, or you cannot open it.',

  searchPeople: 'Search people',
  noPeople: 'Nobody found.',
  groupName: 'Group name (optional)',
  startChat: 'Start conversation',
  startGroup: (count: number) => `Start group with ${count}`,
  loading: 'Loading…',
  extrasFailed: 'This part of the chat could not be loaded.',
  cannotLoadPeople: 'People could not be loaded.',

  channels: 'Channels',
  join: 'Join',
  openChannel: 'Open',
  archivedLabel: 'Archived',
  privateChannel: 'Private',
  noChannels: 'There are no channels you can join.',
  cannotLoadChannels: 'Channels could not be loaded.',
  actionFailed: (reason: string) => `That did not work: ${reason}`,

  enableNotifications: 'Enable notifications',
  enable: 'Enable',
  notNow: 'Not now',
  notificationsHint: 'Get notified of new messages',
  notificationTitle: (sender: string, conversation: string) =>
    sender === conversation ? sender : `${sender} in ${conversation}`,
  unavailable: 'Conversation not available',
  allConversations: 'Show all conversations',
  /** The list's search box: short, so that it fits; its label says what is searched. */
  searchShort: 'Search',

  newChannel: 'New channel',
  channelName: 'Name',
  channelNameHint: 'Lowercase letters, digits, - and _',
  whoMayJoin: 'Who may be in it',
  admitShared: 'Our team and the organisations of the people invited',
  admitTeam: 'Our team only',
  admitAdmins: 'Admins of our team only',
  visibility: 'Visibility',
  publicChannel: 'Public: anyone it admits can find and join it',
  publicLabel: 'Public',
  privateChannelHint: 'Private: invite only, hidden from everyone else',
  invitePeople: 'Invite people',
  createChannel: 'Create channel',
  channelSettings: 'Channel settings',
  notificationSettings: 'Notification settings',
  settingsOf: (name: string) => `Settings of #${name}`,
  rename: 'Rename',
  save: 'Save',
  admits: (orgs: string, role: string) => `Admits ${orgs}${role === 'viewer' ? '' : ` (${role}s and up)`}`,
  creator: 'Creator',
  youSuffix: ' (you)',
  memberDetail: (org: string, role: string) => `${org} · ${role}`,
  addPeople: 'Add people',
  addSelected: (count: number) => `Add ${count}`,
  remove: 'Remove',
  removeMember: (name: string) => `Remove ${name} from the channel`,
  archive: 'Archive channel',
  unarchive: 'Unarchive channel',
  leave: 'Leave channel',

  notSentYet: (written: string) => `Not sent yet · written ${written}`,
  sentWritten: (sent: string, written: string) => `Sent ${sent} · written ${written}`,
};

export type Strings = typeof en;

const tables: Record<string, Strings> = { en };

/** The table for a BCP 47 locale (`de-CH`), its language (`de`), or English. */
export function stringsFor(locale: string | undefined): Strings {
  return tableFor(tables, locale, en);
}

/** Picks a locale's table (`de-CH`, then `de`) or `fallback`: the same choice for the extras chunk's texts. */
export function tableFor<T>(tables: Record<string, T>, locale: string | undefined, fallback: T): T {
  const tag = (locale ?? '').toLowerCase();
  return tables[tag] ?? tables[tag.split('-')[0] ?? ''] ?? fallback;
}
