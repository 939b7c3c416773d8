// Numbers as people type them (www/shared/numbers.js): locale digits and separators become the
// plain decimal the engine takes, and anything ambiguous or malformed is not read (null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNumber, asciiDigits } from '../../www/shared/numbers.js';

test('English, Chinese and Japanese: comma groups, point is decimal', () => {
  for (const locale of ['en', 'zh-CN', 'ja-JP']) {
    assert.equal(readNumber('80,000', locale), '80000');
    assert.equal(readNumber('1,234,567.50', locale), '1234567.5');
    assert.equal(readNumber(' 600 000 ', locale), '600000');
    assert.equal(readNumber('0.005', locale), '0.005');
    assert.equal(readNumber('12', locale), '12');
    assert.equal(readNumber('-3', locale), '-3');
    assert.equal(readNumber('80,00', locale), null, 'a comma that does not group in threes');
    assert.equal(readNumber('1,5', locale), null);
  }
});

test('full-width digits and punctuation (Chinese and Japanese input methods)', () => {
  assert.equal(asciiDigits('１２，０００．５'), '12,000.5');
  assert.equal(readNumber('１２，０００', 'zh-CN'), '12000');
  assert.equal(readNumber('５０００', 'ja-JP'), '5000');
  assert.equal(readNumber('３．５', 'ja-JP'), '3.5');
  assert.equal(readNumber('٣٠٠٠', 'en'), '3000');
});

test('German and French: comma is decimal, point or space groups', () => {
  assert.equal(readNumber('80.000', 'de-DE'), '80000');
  assert.equal(readNumber('80,000', 'de-DE'), '80');
  assert.equal(readNumber('1.234,5', 'de-DE'), '1234.5');
  assert.equal(readNumber('1,5', 'de-DE'), '1.5');
  assert.equal(readNumber('1.5', 'de-DE'), null, 'a point that does not group in threes: ambiguous');
  assert.equal(readNumber('1 234,5', 'fr-FR'), '1234.5');
  assert.equal(readNumber('1\u202f234,5', 'fr-FR'), '1234.5');
  assert.equal(readNumber("1'234.5", 'de-CH'), '1234.5');
});

test('what is not a number stays unread', () => {
  for (const bad of ['', ' ', 'abc', '1e3', '1_000', '0x10', '1.2.3', '1,2,3.4.5', '--1', '1-', '.', ',', 'NaN', 'Infinity']) {
    assert.equal(readNumber(bad, 'en'), null, bad);
  }
  assert.equal(readNumber('+1', 'en'), '1');
  assert.equal(readNumber('007', 'en'), '7');
  assert.equal(readNumber('-0', 'en'), '0');
});
