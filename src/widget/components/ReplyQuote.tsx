// What a reply shows of the message it answers, as that message is now: its sender and first words, marked
// when edited, or that it was deleted. In a sent reply the quote brings the original into view.
import type { ReplyQuote as Quote } from '../../protocol/models.ts';
import { useWidget } from '../state.ts';
import { useThreadActions } from '../thread-actions.ts';

export function QuoteText({ quote }: { quote: Quote }) {
  const { session, strings } = useWidget();
  return (
    <>
      <span class="quote-sender">
        {quote.senderId === session.userId ? strings.you : session.nameOf(quote.senderId)}
      </span>
      <span class="quote-excerpt">
        {quote.deleted ? strings.originalDeleted : quote.excerpt}
        {!quote.deleted && quote.editedAt && ` ${strings.edited}`}
      </span>
    </>
  );
}

export function ReplyQuote({ quote, conversationId }: { quote: Quote; conversationId: string }) {
  const { jumpTo } = useThreadActions();
  return (
    <button type="button" class="reply-quote" onClick={() => jumpTo(conversationId, quote.seq)}>
      <QuoteText quote={quote} />
    </button>
  );
}
