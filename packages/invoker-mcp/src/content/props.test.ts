import { describe, expect, it } from 'vitest';
import { describeProps, resolveProps, type PropSpecs } from './props.js';

const specs: PropSpecs = {
  title: { type: 'text', description: 'Heading', default: 'Hello' },
  size: { type: 'choice', description: 'Size', default: 'm', options: ['s', 'm', 'l'] },
  items: {
    type: 'list',
    description: 'Items',
    default: [],
    item: { label: { type: 'text', description: 'Label', default: 'x' }, href: { type: 'url', description: 'Target', default: '#' } },
    max: 2,
  },
};

describe('resolveProps', () => {
  it('fills defaults, inside list items too, and treats null as "use the default"', () => {
    expect(resolveProps('block "t"', specs, { title: null, items: [{ label: 'a' }] })).toEqual({
      title: 'Hello',
      size: 'm',
      items: [{ label: 'a', href: '#' }],
    });
  });

  it('names unknown props in list items and what the item takes', () => {
    expect(() => resolveProps('block "t"', specs, { items: [{ text: 'a' }] })).toThrow(/Unknown prop "text" for block "t", prop "items" item 1\. It takes: label, href/);
  });

  it('enforces list length, choices and URL safety', () => {
    expect(() => resolveProps('b', specs, { items: [{}, {}, {}] })).toThrow(/at most 2 items/);
    expect(() => resolveProps('b', specs, { size: 'xl' })).toThrow(/one of s, m, l/);
    expect(() => resolveProps('b', specs, { items: [{ href: 'javascript:void(0)' }] })).toThrow(/"href".*not allowed/);
    expect(() => resolveProps('b', specs, { title: 'x'.repeat(5_001) })).toThrow(/at most 5000 characters/);
  });

  it('describes props for list_blocks with type, default, options and item fields', () => {
    const described = describeProps(specs);
    expect(described[1]).toEqual({ name: 'size', type: 'choice', description: 'Size', default: 'm', options: ['s', 'm', 'l'] });
    expect(described[2]).toMatchObject({ name: 'items', type: 'list', item: [{ name: 'label' }, { name: 'href', type: 'url' }] });
  });
});
