/** Line breaking for Chinese text mixed with Latin words and figures, as the notice PDF sets it. */

/** Characters that may not start a line (closing marks) or end one (opening marks): the usual Chinese 禁則. */
const NO_LINE_START = new Set('，。、；：？！）》」』〕】〉”’…·%,.;:?!)]}');
const NO_LINE_END = new Set('（《「『〔【〈“‘([{');

/**
 * Greedy line breaking: a Chinese character may end a line anywhere, a run of Latin letters and digits ("C25",
 * "2026-03-01", "1,200.00") only where it ends unless it is wider than the line; closing marks stay with what they
 * close, opening marks with what they open. The first line may be indented.
 */
export function breakLines(text: string, width: number, measure: (text: string) => number, indent = 0): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    let lineWidth = 0;
    let room = width - indent;
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
      lineWidth = 0;
      room = width;
    };
    for (const unit of units(paragraph)) {
      const unitWidth = measure(unit);
      if (line === '' && unit.trim() === '') continue;
      if (lineWidth + unitWidth <= room + 0.01) {
        line += unit;
        lineWidth += unitWidth;
        continue;
      }
      if (unit.trim() === '') {
        push();
        continue;
      }
      if (line !== '') push();
      if (unitWidth <= room + 0.01) {
        line = unit;
        lineWidth = unitWidth;
        continue;
      }
      for (const ch of unit) {
        const chWidth = measure(ch);
        if (line !== '' && lineWidth + chWidth > room + 0.01) push();
        line += ch;
        lineWidth += chWidth;
      }
    }
    if (line !== '') push();
  }
  return lines;
}

/** The pieces a line may break between (see breakLines). */
export function units(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.match(/[A-Za-z0-9][A-Za-z0-9.,:/%+\-_]*|\s+|./gsu) ?? []) {
    const previous = out[out.length - 1];
    const glue = previous !== undefined && previous.trim() !== '' && (NO_LINE_START.has(piece[0]) || NO_LINE_END.has(previous[previous.length - 1]));
    if (glue) out[out.length - 1] = previous + piece;
    else out.push(piece);
  }
  return out;
}
