// Every pair of text and background colour the app draws, read from the
// design tokens in both themes, measured against WCAG AA: 4.5:1 for text,
// 3:1 for what is not text (bars, badges' shapes, the focus ring's colour).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('./tokens.css', import.meta.url), 'utf8');

type Theme = Record<string, string>;

/** The `--color-*` values of one `:root { … }` block. */
function colours(block: string): Theme {
  const found: Theme = {};
  for (const [, name, value] of block.matchAll(/--(color-[a-z0-9-]+):\s*([^;]+);/g)) found[name] = value.trim();
  return found;
}

const light = colours(css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)')));
const dark = { ...light, ...colours(css.slice(css.indexOf('@media (prefers-color-scheme: dark)'))) };

function rgb(value: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(value);
  if (!hex) throw new Error(`${value} is not a #rrggbb colour`);
  const n = parseInt(hex[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance(value: string): number {
  const [r, g, b] = rgb(value).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const SURFACES = ['bg', 'surface', 'surface-2'];
/** [foreground, backgrounds] for text the app writes. */
const TEXT: [string, string[]][] = [
  ['text', [...SURFACES, 'row-hover', 'row-selected', 'accent-soft', 'danger-soft', 'warning-soft', 'success-soft', 'demo-soft']],
  ['text-muted', [...SURFACES, 'row-hover', 'row-selected']],
  ['accent', [...SURFACES, 'accent-soft']],
  ['accent-text', ['accent', 'accent-hover']],
  ['danger', [...SURFACES, 'danger-soft']],
  ['danger-text', ['danger', 'danger-hover']],
  ['warning', [...SURFACES, 'warning-soft']],
  ['success', [...SURFACES, 'success-soft']],
  ['demo', ['demo-soft']],
  ['surface', ['warning']],
];
/** Shapes that carry meaning without words of their own. */
const SHAPES: [string, string[]][] = [
  ['accent', ['border']],
  ['warning', ['border']],
  ['danger', ['border']],
  ['folder', SURFACES],
  ['file', SURFACES],
  ['border-strong', ['surface']],
];

describe.each([
  ['light', light],
  ['dark', dark],
])('the %s theme', (_name, theme) => {
  it.each(TEXT.flatMap(([fg, bgs]) => bgs.map((bg) => [fg, bg])))('text in %s on %s reads at 4.5:1 or more', (fg, bg) => {
    expect(contrast(theme[`color-${fg}`], theme[`color-${bg}`])).toBeGreaterThanOrEqual(4.5);
  });

  it.each(SHAPES.flatMap(([fg, bgs]) => bgs.map((bg) => [fg, bg])))('a %s shape on %s stands out at 3:1 or more', (fg, bg) => {
    expect(contrast(theme[`color-${fg}`], theme[`color-${bg}`])).toBeGreaterThanOrEqual(3);
  });
});

it('the measure agrees with WCAG’s own extremes', () => {
  expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  expect(contrast('#777777', '#777777')).toBe(1);
  expect(contrast('#767676', '#ffffff')).toBeGreaterThan(4.5);
  expect(contrast('#777777', '#ffffff')).toBeLessThan(4.5);
});
