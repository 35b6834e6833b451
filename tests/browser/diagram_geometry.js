// Where everything of a Mermaid diagram lies, read from the <img> JupyterLab shows it in.
// The image's SVG is put into the page once more, at its own size and out of sight, so that
// the browser measures what it drew: every node, every piece of text (node labels and edge
// labels) and points along every edge. Returns the nodes in image units and what collides:
// text over text, and edges running through text that is not their own label.
img => {
  const xml = decodeURIComponent(img.getAttribute('src').split(',').slice(1).join(','));
  const svg = document.importNode(new DOMParser().parseFromString(xml, 'image/svg+xml').documentElement, true);
  const view = svg.viewBox.baseVal;
  svg.setAttribute('width', String(view.width));
  svg.setAttribute('height', String(view.height));
  svg.style.maxWidth = 'none';
  const holder = document.createElement('div');
  holder.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden;pointer-events:none';
  holder.appendChild(svg);
  document.body.appendChild(holder);
  try {
    const origin = svg.getBoundingClientRect();
    const box = r => ({ x: r.left - origin.left, y: r.top - origin.top, w: r.width, h: r.height });
    const words = el => (el.textContent || '').replace(/\s+/g, ' ').trim();
    const inside = (p, b, m) => p.x > b.x + m && p.x < b.x + b.w - m && p.y > b.y + m && p.y < b.y + b.h - m;
    const overlap = (a, b) => Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 &&
      Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1;
    const nodes = [...svg.querySelectorAll('g.node')].map(n => ({ text: words(n), ...box(n.getBoundingClientRect()) }));
    // Text boxes: the spans that hold the words, so a wide shape around short text is not "text".
    const texts = [];
    svg.querySelectorAll('span.nodeLabel, span.edgeLabel').forEach(span => {
      const text = words(span);
      if (text) {
        const owner = span.closest('g.label');
        texts.push({ text, edge: owner ? owner.getAttribute('data-id') : null, ...box(span.getBoundingClientRect()) });
      }
    });
    const edges = [...new Set(svg.querySelectorAll('g.edgePaths path, path.flowchart-link, path.transition'))].map(path => {
      const matrix = path.getScreenCTM();
      const length = path.getTotalLength();
      const points = [];
      for (let d = 0; d <= length; d += 2) {
        const p = path.getPointAtLength(d);
        const q = new DOMPoint(p.x, p.y).matrixTransform(matrix);
        points.push({ x: q.x - origin.left, y: q.y - origin.top });
      }
      const id = path.getAttribute('data-id') || (path.id || '').replace(/^.*?-(L_|edge)/, '$1');
      return { id, points };
    });
    const problems = [];
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
      if (overlap(a, b)) problems.push(`text over text: "${a.text}" and "${b.text}"`);
    }));
    edges.forEach(edge => texts.forEach(t => {
      if (t.edge !== edge.id && edge.points.some(p => inside(p, t, 1))) {
        problems.push(`edge ${edge.id} runs through "${t.text}"`);
      }
    }));
    return { width: view.width, height: view.height, nodes, texts: texts.length, edges: edges.length, problems };
  } finally {
    holder.remove();
  }
}
