// One visual language: every component's own styles take their colours,
// type sizes, weights, radii and spacing from the design tokens, so a
// screen cannot drift into a look of its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('../..', import.meta.url).pathname;

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : svelteFiles(path);
    return entry.name.endsWith('.svelte') ? [path] : [];
  });
}

/** The declarations of a file's `<style>` block, as `property: value`. */
function declarations(file: string): { property: string; value: string }[] {
  const style = /<style>([\s\S]*?)<\/style>/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  const withoutComments = style.replace(/\/\*[\s\S]*?\*\//g, '');
  return [...withoutComments.matchAll(/([a-z-]+)\s*:\s*([^;{}]+);/g)].map(([, property, value]) => ({ property, value: value.trim() }));
}

// Up to 3px is a hairline or a nudge that lines an icon up with text, not a step.
const HAIRLINE = /^-?[0-3](\.\d+)?px$/;
const SPACING = /^(0|auto|inherit|var\(--[a-z0-9-]+\)|calc\((\s*(var\(--[a-z0-9-]+\)|-?\d+|[+*-])\s*)+\))$/;

/** The space-separated parts of a value, a function call kept whole. */
function parts(value: string): string[] {
  const found: string[] = [];
  let depth = 0;
  let part = '';
  for (const char of value) {
    depth += char === '(' ? 1 : char === ')' ? -1 : 0;
    if (/\s/.test(char) && depth === 0) {
      if (part) found.push(part);
      part = '';
    } else part += char;
  }
  return part ? [...found, part] : found;
}

/** What a declaration breaks, or null. */
export function offence(property: string, value: string): string | null {
  if (/#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|oklch|lab)\(/i.test(value)) return 'a colour outside the tokens';
  if (/^(color|background|background-color|fill|stroke|border-color|outline-color)$/.test(property)) {
    const named = value.replace(/var\([^)]*\)|transparent|currentColor|inherit|none/g, '');
    if (/[a-z]{3,}/i.test(named.replace(/color-mix|in|srgb|\d+%|[(),]/g, ''))) return 'a named colour';
  }
  if (property === 'font-size' && !/^(var\(--text-[a-z0-9]+\)|inherit|100%|1em)$/.test(value)) return 'a type size outside the scale';
  if (property === 'font-weight' && !/^(var\(--weight-[a-z]+\)|inherit)$/.test(value)) return 'a weight outside the scale';
  if (property === 'border-radius' && !/^(0|50%|inherit|var\(--radius-[a-z]+\)( var\(--radius-[a-z]+\)| 0)*)$/.test(value)) return 'a radius outside the scale';
  if (/^(padding|margin|gap|row-gap|column-gap)(-(top|right|bottom|left|inline|block))?$/.test(property)) {
    if (!parts(value).every((part) => SPACING.test(part) || HAIRLINE.test(part))) return 'a spacing outside the scale';
  }
  return null;
}

describe('component styles use the design tokens', () => {
  const files = svelteFiles(src);

  it('finds the components', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files.map((file) => [relative(src, file), file]))('%s', (_name, file) => {
    const found = declarations(file)
      .map(({ property, value }) => ({ property, value, why: offence(property, value) }))
      .filter((d) => d.why !== null)
      .map((d) => `${d.property}: ${d.value} (${d.why})`);
    expect(found, found.join('\n')).toEqual([]);
  });
});

describe('the check itself', () => {
  it('catches what drifts and lets the tokens through', () => {
    expect(offence('color', '#fff')).not.toBeNull();
    expect(offence('background', 'rgb(0 0 0 / 0.5)')).not.toBeNull();
    expect(offence('color', 'white')).not.toBeNull();
    expect(offence('font-size', '14px')).not.toBeNull();
    expect(offence('font-weight', 'bold')).not.toBeNull();
    expect(offence('padding', '10px 12px')).not.toBeNull();
    expect(offence('border-radius', '6px')).not.toBeNull();
    expect(offence('color', 'var(--color-text)')).toBeNull();
    expect(offence('border-bottom', '1px solid color-mix(in srgb, var(--color-demo) 30%, transparent)')).toBeNull();
    expect(offence('padding', 'var(--space-1) var(--space-4)')).toBeNull();
    expect(offence('margin-bottom', 'calc(-1 * var(--space-3))')).toBeNull();
    expect(offence('gap', '2px')).toBeNull();
    expect(offence('padding-left', 'calc(16px + var(--space-2))')).not.toBeNull();
    expect(offence('padding-left', 'calc(var(--icon-size) + var(--space-2))')).toBeNull();
    expect(offence('font-size', 'var(--text-sm)')).toBeNull();
  });
});
