import { describe, expect, it } from 'vitest';
import { generateSlug, slugProblem } from './slug.js';

describe('slugs', () => {
  it('accepts lower-case names with single hyphens up to 40 characters', () => {
    for (const slug of ['a', 'hello', 'acme-waitlist', 'a1', 'x'.repeat(40)]) expect(slugProblem(slug)).toBeNull();
  });

  it('refuses bad shapes, the preview separator and reserved names, saying why', () => {
    expect(slugProblem('')).toMatch(/1–40/);
    expect(slugProblem('x'.repeat(41))).toMatch(/1–40/);
    expect(slugProblem('Hello')).toMatch(/lower-case/);
    expect(slugProblem('-hello')).toMatch(/start and end/);
    expect(slugProblem('hello-')).toMatch(/start and end/);
    expect(slugProblem('a--b')).toMatch(/--/);
    expect(slugProblem('héllo')).not.toBeNull();
    expect(slugProblem('../x')).not.toBeNull();
    expect(slugProblem('api')).toMatch(/reserved/);
    expect(slugProblem('dashboard')).toMatch(/reserved/);
  });

  it('generates valid adjective-noun-xxxx slugs', () => {
    for (let i = 0; i < 100; i++) {
      const slug = generateSlug();
      expect(slug).toMatch(/^[a-z]+-[a-z]+-[a-z0-9]{4}$/);
      expect(slugProblem(slug)).toBeNull();
    }
  });
});
