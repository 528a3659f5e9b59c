// Text boxes that grow with what is typed in them, up to a height, and scroll beyond it.

export function fitHeight(box: HTMLTextAreaElement, maxPx: number): void {
  box.style.height = 'auto';
  box.style.height = `${Math.min(box.scrollHeight, maxPx)}px`;
}
