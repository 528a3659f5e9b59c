// Renders a message body through the markdown subset as Preact elements: text stays text, links are only
// those the parser made safe, and external ones open in a new tab without access to this page.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { type Block, type Inline, parseMarkdown } from '../markdown.ts';
import { useWidget } from '../state.ts';

export function Markdown({ text }: { text: string }) {
  const { options } = useWidget();
  const blocks = useMemo(
    () => parseMarkdown(text, { orderUrl: options.orderUrl, baseUrl: location.href }),
    [text, options.orderUrl],
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
        <a key={index} href={node.href} class="order-link">
          {node.children.map(inline)}
        </a>
      );
  }
}
