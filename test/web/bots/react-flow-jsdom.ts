/*
 * What React Flow needs from the DOM and jsdom lacks (see reactflow.dev's Jest guide): element
 * sizes, a ResizeObserver that reports at once, and DOMMatrixReadOnly for the zoom. Nodes then
 * render with their handles; dragging and drawing edges still need a real browser (test/e2e).
 */
class ImmediateResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback([{ target } as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}

class ScaleMatrix {
  m22: number;
  constructor(transform: string) {
    const scale = /scale\(([1-9.]+)\)/.exec(transform ?? '')?.[1];
    this.m22 = scale !== undefined ? Number(scale) : 1;
  }
}

let installed = false;

export function mockReactFlow() {
  if (installed) return;
  installed = true;
  globalThis.ResizeObserver = ImmediateResizeObserver as unknown as typeof ResizeObserver;
  (globalThis as { DOMMatrixReadOnly?: unknown }).DOMMatrixReadOnly = ScaleMatrix;
  Object.defineProperties(HTMLElement.prototype, {
    offsetHeight: { get: function offsetHeight(this: HTMLElement) { return parseFloat(this.style.height) || 1; } },
    offsetWidth: { get: function offsetWidth(this: HTMLElement) { return parseFloat(this.style.width) || 1; } },
  });
  (SVGElement.prototype as unknown as { getBBox: () => DOMRect }).getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 }) as DOMRect;
}
