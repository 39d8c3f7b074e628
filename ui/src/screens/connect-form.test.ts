import { describe, expect, it } from 'vitest';
import { breadcrumbs, parentPrefix } from '../lib/browser/path';
import { defaultAccountName, isHttpUrl, validateAccountForm } from './connect-form';

const ok = { endpoint: 'https://s3.example.kz', region: 'kz-1', accessKeyId: 'AK', secretKey: 'SK', name: 'work' };

describe('connect form validation', () => {
  it('accepts a complete form', () => {
    expect(validateAccountForm(ok, { secretRequired: true })).toEqual({});
  });

  it('requires the fields', () => {
    const empty = { endpoint: '', region: ' ', accessKeyId: '', secretKey: '', name: '' };
    expect(validateAccountForm(empty, { secretRequired: true })).toEqual({
      endpoint: 'required',
      region: 'required',
      accessKeyId: 'required',
      secretKey: 'required',
      name: 'required',
    });
    expect(validateAccountForm({ ...ok, secretKey: '' }, { secretRequired: false })).toEqual({});
    expect(validateAccountForm({ ...ok, name: '' }, { secretRequired: true, nameRequired: false })).toEqual({});
  });

  it('wants an http(s) URL for the endpoint', () => {
    expect(validateAccountForm({ ...ok, endpoint: 's3.example.kz' }, { secretRequired: true })).toEqual({ endpoint: 'url' });
    expect(validateAccountForm({ ...ok, endpoint: 'ftp://x' }, { secretRequired: true })).toEqual({ endpoint: 'url' });
    expect(isHttpUrl('http://127.0.0.1:3900')).toBe(true);
    expect(isHttpUrl('https://')).toBe(false);
  });

  it('names the account after the endpoint host', () => {
    expect(defaultAccountName('https://s3.example.kz:9000/')).toBe('s3.example.kz');
    expect(defaultAccountName('nonsense')).toBe('');
  });
});

describe('paths', () => {
  it('goes up one folder', () => {
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('a/')).toBe('');
    expect(parentPrefix('')).toBe('');
  });

  it('splits a prefix into breadcrumbs', () => {
    expect(breadcrumbs('')).toEqual([]);
    expect(breadcrumbs('photos/2024 жыл/')).toEqual([
      { name: 'photos', prefix: 'photos/' },
      { name: '2024 жыл', prefix: 'photos/2024 жыл/' },
    ]);
  });
});
