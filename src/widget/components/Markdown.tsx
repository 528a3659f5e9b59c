// Renders a message body through the markdown subset as Preact elements: text stays text, links are only
// those the parser made safe, external ones open in a new tab without access to this page, and a reference
// to a record the user can open opens its thread (its host page with a modifier key, or when there is none).
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { type Block, type Inline, parseMarkdown } from '../markdown.ts';
import { useCanOpenRecord, useWidget } from '../state.ts';

export function Markdown({ text }: { text: string }) {
  const { options } = useWidget();
  const canOpen = useCanOpenRecord();
  const blocks = useMemo(
    () => parseMarkdown(text, { references: options.references, baseUrl: location.href, canOpen }),
    [text, options.references, canOpen],
  );
  return <>{blocks.map(block)}</>;
}

function block(node: Block, index: number): ComponentChildren {
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

function inline(node: Inline, index: number): ComponentChildren {
  switch (node.type) {
    case 'text':
      return node.text;
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
