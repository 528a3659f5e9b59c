// Renders a message body through the markdown subset as Preact elements: text stays text, links are only
// those the parser made safe, external ones open in a new tab without access to this page, and a reference
// to a record the user can open opens its thread (its host page with a modifier key, or when there is none);
// the people the message mentions are marked, the reader among them highlighted.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { type Block, type Inline, parseMarkdown } from '../markdown.ts';
import { type Mentioned, splitMentions } from '../mention-text.ts';
import { useCanOpenRecord, useWidget } from '../state.ts';

export function Markdown({ text, mentions = [] }: { text: string; mentions?: readonly Mentioned[] }) {
  const { options } = useWidget();
  const canOpen = useCanOpenRecord();
  const blocks = useMemo(
    () => parseMarkdown(text, { references: options.references, baseUrl: location.href, canOpen }),
    [text, options.references, canOpen],
  );
  return <>{blocks.map((node, index) => block(node, index, mentions))}</>;
}

function block(node: Block, index: number, mentions: readonly Mentioned[]): ComponentChildren {
  const inline = (child: Inline, at: number) => inlineNode(child, at, mentions);
  switch (node.type) {
    case 'paragraph':
      return <p key={index}>{node.children.map(inline)}</p>;
    case 'code':
      return (
        <pre key={index}>
          <code>{node.text}</code>
        </pre>
      );
    case 'list': {
      const items = node.items.map((item, i) => <li key={i}>{item.map(inline)}</li>);
      return node.ordered ? (
        <ol key={index} start={node.start}>
          {items}
        </ol>
      ) : (
        <ul key={index}>{items}</ul>
      );
    }
  }
}

function inlineNode(node: Inline, index: number, mentions: readonly Mentioned[]): ComponentChildren {
  const inline = (child: Inline, at: number) => inlineNode(child, at, mentions);
  switch (node.type) {
    case 'text':
      return splitMentions(node.text, mentions).map((part, at) =>
        typeof part === 'string' ? (
          part
        ) : (
          <span key={at} class={part.mention.me ? 'mention me' : 'mention'}>
            @{part.mention.name}
          </span>
        ),
      );
    case 'break':
      return <br key={index} />;
    case 'bold':
      return <strong key={index}>{node.children.map(inline)}</strong>;
    case 'italic':
      return <em key={index}>{node.children.map(inline)}</em>;
    case 'code':
      return <code key={index}>{node.text}</code>;
    case 'link':
      return node.external ? (
        <a key={index} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
          {node.children.map(inline)}
        </a>
      ) : (
        <a key={index} href={node.href}>
          {node.children.map(inline)}
        </a>
      );
    case 'record':
      return <RecordLink key={index} reference={node} />;
  }
}

function RecordLink({ reference }: { reference: Extract<Inline, { type: 'record' }> }) {
  const { session, strings, toast, go } = useWidget();
  const open = (event: MouseEvent) => {
    // With a modifier the browser opens the host's page, in a new tab or window, as for any link.
    if (reference.href && (event.ctrlKey || event.metaKey || event.shiftKey)) return;
    event.preventDefault();
    session.openRecord(reference.recordType, reference.id).then(
      (conversationId) => go({ view: 'thread', conversationId }),
      () => {
        if (reference.href) location.assign(reference.href);
        else toast.set(strings.cannotOpenRecord(reference.text));
      },
    );
  };
  const label = strings.openRecordThread(reference.text);
  return reference.href ? (
    <a href={reference.href} class="record-link" title={label} onClick={open}>
      {reference.text}
    </a>
  ) : (
    <button type="button" class="link-button record-link" title={label} onClick={open}>
      {reference.text}
    </button>
  );
}
