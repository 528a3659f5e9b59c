// The extras chunk's entry (decision 014): the parts of the widget few sessions use, which the main bundle
// loads on first use (extras-loader.ts) and shows through components/Extra.tsx. The chunk runs from the
// <script> element the loader made: its imports from outside src/widget/extras/ are the main bundle's own
// modules, handed over on that element (the build maps them), and it registers its parts there.
import { learnEmojiNames } from '../emoji.ts';
import type { ExtrasScript } from '../extras-loader.ts';
import { ChannelSettingsBody } from './ChannelSettingsBody.tsx';
import { allEmoji } from './emoji.ts';
import { Lightbox } from './Lightbox.tsx';
import { MessageSearch } from './MessageSearch.tsx';
import { MessageVersions } from './MessageVersions.tsx';
import { NotificationSettingsBody } from './NotificationSettingsBody.tsx';
import { ReactionPicker } from './ReactionPicker.tsx';
import { styles } from './styles.ts';

const extras = {
  styles,
  ReactionPicker,
  Lightbox,
  ChannelSettingsBody,
  MessageSearch,
  MessageVersions,
  NotificationSettingsBody,
};
export type Extras = typeof extras;

// Reactions and the message menu name every emoji of the picker from now on.
learnEmojiNames(allEmoji());
const handover = (document.currentScript as ExtrasScript | null)?.parleyExtras;
if (!handover) throw new Error('The widget extras run only when the widget loads them');
handover.register(extras);
