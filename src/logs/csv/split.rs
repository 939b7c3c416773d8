//! The splitting of CSV records into fields: RFC 4180 quoting record by record, and the one-pass
//! splitter of quote-free text (commas and line feeds found sixteen bytes at a time, SIMD or SWAR,
//! then records cut from their lists).

use super::super::sink::Sink;
use super::record::{Fields, SKIP, SLOTS, SLOTS_MAX};
use super::CsvReader;
use crate::error::Result;

#[derive(Clone, Copy, Default)]
pub(super) struct Span {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) escaped: bool,
}

#[inline]
pub(super) fn trim(b: &[u8]) -> &[u8] {
    let mut s = 0;
    let mut e = b.len();
    while s < e && (b[s] == b' ' || b[s] == b'\t') {
        s += 1;
    }
    while e > s && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    &b[s..e]
}

/// A quote error of a record: its reason (docs/errors.md) and its English sentence.
pub(super) type QuoteError = (&'static str, &'static str);
/// A quoted field runs to the end of the record.
pub(super) const UNCLOSED: QuoteError = ("log_csv_quote_unclosed", "a quoted field is not closed");
/// Something other than a comma follows a closing quote.
pub(super) const AFTER_QUOTE: QuoteError = (
    "log_csv_after_quote",
    "a character follows the closing quote",
);

/// Splits a record into fields, calling `f(column, span)` for each; stops after `last` columns.
/// Returns the 1-based column of a syntax error, and the error.
#[inline]
pub(super) fn split(
    rec: &[u8],
    last: usize,
    mut f: impl FnMut(usize, Span),
) -> Result<(), (usize, QuoteError)> {
    let n = rec.len();
    let mut i = 0;
    let mut col = 0;
    loop {
        if col > last {
            return Ok(());
        }
        let span = if i < n && rec[i] == b'"' {
            i += 1;
            let start = i;
            let mut escaped = false;
            let end = loop {
                match memchr::memchr(b'"', &rec[i..]) {
                    None => return Err((col + 1, UNCLOSED)),
                    Some(j) => {
                        i += j;
                        if i + 1 < n && rec[i + 1] == b'"' {
                            escaped = true;
                            i += 2;
                        } else {
                            let end = i;
                            i += 1;
                            break end;
                        }
                    }
                }
            };
            while i < n && (rec[i] == b' ' || rec[i] == b'\t') {
                i += 1;
            }
            if i < n && rec[i] != b',' {
                return Err((col + 1, AFTER_QUOTE));
            }
            Span {
                start: start as u32,
                end: end as u32,
                escaped,
            }
        } else {
            let start = i;
            while i < n && rec[i] != b',' {
                i += 1;
            }
            Span {
                start: start as u32,
                end: i as u32,
                escaped: false,
            }
        };
        f(col, span);
        if i >= n {
            return Ok(());
        }
        i += 1;
        col += 1;
    }
}

/// Splits a record without quotes into the fields of `slot_of` (column → slot), eight bytes at a
/// time. Missing columns stay empty.
#[inline]
pub(super) fn split_plain<'r>(rec: &'r [u8], slot_of: &[u8], out: &mut Fields<'r>) {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COMMAS: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    let n = rec.len();
    let cols = slot_of.len();
    let mut col = 0;
    let mut start = 0;
    let mut emit = |col: usize, start: usize, end: usize| {
        let s = slot_of[col];
        if s != SKIP {
            out[s as usize] = trim(&rec[start..end]);
        }
    };
    let mut i = 0;
    while i < n {
        let mut word = [0u8; 8];
        if i + 8 <= n {
            word = rec[i..i + 8].try_into().unwrap_or_default();
        } else {
            word[..n - i].copy_from_slice(&rec[i..]);
        }
        let x = u64::from_le_bytes(word) ^ COMMAS;
        // The high bit of each byte of `m` is set where `x` has a zero byte (a comma in `word`);
        // the zero padding past the end is not a comma.
        let mut m = !(((x & LO7) + LO7) | x | LO7);
        while m != 0 {
            let p = i + (m.trailing_zeros() / 8) as usize;
            emit(col, start, p);
            col += 1;
            if col >= cols {
                return;
            }
            start = p + 1;
            m &= m - 1;
        }
        i += 8;
    }
    emit(col, start, n);
}

pub(super) fn unescape(src: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < src.len() {
        out.push(src[i]);
        i += if src[i] == b'"' { 2 } else { 1 };
    }
}

impl CsvReader {
    /// Every whole record of `s`, which holds no quote, [`WINDOW`] bytes at a time in two passes:
    /// the first finds the commas and line feeds sixteen bytes at a time (see [`marks`]) and
    /// lists their offsets; the second cuts each record into its fields from those lists. A
    /// record with every used column (the common one) takes a straight path; others, and logs
    /// holding a space or a tab (whose fields are trimmed), go through [`Self::plain_record`].
    /// Returns the length read (up to the last `\n`).
    pub(super) fn plain_records<S: Sink>(&mut self, s: &[u8], core: &mut S) -> Result<usize> {
        // Called once the header has been read, with at most SLOTS_MAX columns used.
        let Some(h) = self.header.as_ref() else {
            return Ok(0);
        };
        let cols = h.slot_of.len().min(SLOTS_MAX);
        // Column → slot, the columns not used into a slot of their own that nothing reads.
        let mut slot = [SLOTS; SLOTS_MAX];
        for (d, &k) in slot.iter_mut().zip(&h.slot_of) {
            if k != SKIP {
                *d = usize::from(k);
            }
        }
        // A record may hold a space or a tab (then its fields are trimmed).
        let ws = memchr::memchr2(b' ', b'\t', s).is_some();
        let mut commas = std::mem::take(&mut self.commas);
        let mut nls = std::mem::take(&mut self.nls);
        let r = self.windows(s, cols, &slot, ws, &mut commas, &mut nls, core);
        self.commas = commas;
        self.nls = nls;
        r
    }

    /// The two passes of [`Self::plain_records`], with its lists.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(super) fn windows<S: Sink>(
        &mut self,
        s: &[u8],
        cols: usize,
        slot: &[usize; SLOTS_MAX],
        ws: bool,
        commas: &mut Vec<u32>,
        nls: &mut Vec<u32>,
        core: &mut S,
    ) -> Result<usize> {
        let n = s.len();
        // Commas listed (`commas[..listed]`), of which `commas[next..]` are not yet read: those of
        // the record under way carry over to the next window.
        let mut listed = 0;
        let mut next = 0;
        let mut start = 0;
        let mut w0 = 0;
        while w0 < n {
            let w1 = (w0 + WINDOW).min(n);
            // First pass: the offsets of the window's marks (each list has room for a whole
            // window of them).
            commas.copy_within(next..listed, 0);
            listed -= next;
            next = 0;
            commas.resize(listed + WINDOW + 16, 0);
            nls.resize(WINDOW + 16, 0);
            let mut lines = 0;
            let mut i = w0;
            while i < w1 {
                let Some(block) = s[i..].first_chunk::<16>() else {
                    break;
                };
                let (all, nl) = marks(block);
                listed = list(all & !nl, i as u32, commas, listed);
                lines = list(nl, i as u32, nls, lines);
                i += 16;
            }
            if i < w1 {
                // The last bytes of `s`, fewer than sixteen.
                let mut tail = [0u8; 16];
                tail[..n - i].copy_from_slice(&s[i..]);
                let (all, nl) = marks(&tail);
                listed = list(all & !nl, i as u32, commas, listed);
                lines = list(nl, i as u32, nls, lines);
            }
            // Second pass: the records that end in the window. The straight path writes the slots
            // of the used columns of every record (the spare slot takes the others), so a slot
            // never written stays empty.
            let mut f: Fields = [b""; SLOTS + 1];
            for &p in &nls[..lines] {
                let p = p as usize;
                let need = cols - 1;
                // The straight path: every used column is there (`need` commas before the end).
                if !ws
                    && need > 0
                    && next + need <= listed
                    && (commas[next + need - 1] as usize) < p
                {
                    let line = self.line;
                    self.line += 1 + self.extra_lines;
                    self.extra_lines = 0;
                    let end = p - usize::from(s[p - 1] == b'\r');
                    let mut from = start;
                    for (&c, &k) in commas[next..next + need].iter().zip(slot) {
                        let to = c as usize;
                        f[k] = &s[from..to];
                        from = to + 1;
                    }
                    next += need;
                    // The last used column ends at the next comma, if an unused column follows.
                    let to = match commas[..listed].get(next) {
                        Some(&c) if (c as usize) < p => c as usize,
                        _ => end,
                    };
                    f[slot[need]] = &s[from..to];
                    while next < listed && (commas[next] as usize) < p {
                        next += 1;
                    }
                    core.record();
                    match self.plain_event(&f, core) {
                        Ok(e) => core.event(e, line)?,
                        Err(e) => core.bad_line(line, e)?,
                    }
                } else {
                    let mut rel = [0u32; SLOTS_MAX];
                    let mut k = 0;
                    while next < listed && (commas[next] as usize) < p {
                        if k < cols {
                            rel[k] = commas[next] - start as u32;
                            k += 1;
                        }
                        next += 1;
                    }
                    self.plain_record(&s[start..p], &rel[..k], ws, core)?;
                }
                start = p + 1;
            }
            w0 = w1;
        }
        Ok(start)
    }
}

/// Bytes read by the first pass of the one-pass splitter before the second cuts their records:
/// the window and its lists of marks stay in the processor's first-level cache.
pub(super) const WINDOW: usize = 16 * 1024;

/// The longest chunk the one-pass splitter reads (its offsets are 32-bit); a longer one is read
/// record by record.
pub(super) const MAX_SPLIT: usize = u32::MAX as usize - WINDOW - 64;

/// Writes the offsets `base + j` of the bits `j` of `m` at `out[len..]`; returns the new length.
#[inline(always)]
pub(super) fn list(mut m: u32, base: u32, out: &mut [u32], mut len: usize) -> usize {
    while m != 0 {
        out[len] = base + m.trailing_zeros();
        m &= m - 1;
        len += 1;
    }
    len
}

/// The commas and line feeds among 16 bytes, as masks (bit `j` for byte `j`): commas or line
/// feeds, and line feeds. Two compares and two mask extractions in SIMD registers on x86-64
/// (SSE2, always there) and in wasm built with `simd128`; eight bytes at a time in a general
/// register elsewhere ([`marks_swar`], which the tests compare with it).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) fn marks(b: &[u8; 16]) -> (u32, u32) {
    use core::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    // SAFETY: the load reads the 16 bytes of `b` (no alignment needed); SSE2 is part of x86-64.
    unsafe {
        let v = _mm_loadu_si128(b.as_ptr().cast());
        let nl = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8))) as u32;
        let comma = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b',' as i8))) as u32;
        (comma | nl, nl)
    }
}

/// See the x86-64 version.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
pub(super) fn marks(b: &[u8; 16]) -> (u32, u32) {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128_load};
    // SAFETY: the load reads the 16 bytes of `b` (no alignment needed).
    let v = unsafe { v128_load(b.as_ptr().cast()) };
    let nl = u32::from(u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'\n'))));
    let comma = u32::from(u8x16_bitmask(u8x16_eq(v, u8x16_splat(b','))));
    (comma | nl, nl)
}

/// See the x86-64 version.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
pub(super) fn marks(b: &[u8; 16]) -> (u32, u32) {
    marks_swar(b)
}

/// [`marks`] eight bytes at a time in a general register.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    cfg(test)
)]
#[inline(always)]
pub(super) fn marks_swar(b: &[u8; 16]) -> (u32, u32) {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const COMMAS: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    // The high bit of each byte where `x` has a zero byte (exact: no false positives).
    let zeros = |x: u64| !(((x & LO7) + LO7) | x | LO7);
    // The high bits of the eight bytes, gathered into the low eight bits (byte j → bit j).
    let pack = |x: u64| ((x >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32;
    let half = |w: u64| {
        let nl = zeros(w ^ NEWLINES);
        (pack(zeros(w ^ COMMAS) | nl), pack(nl))
    };
    let all = u128::from_le_bytes(*b);
    let ((a, an), (b, bn)) = (half(all as u64), half((all >> 64) as u64));
    (a | b << 8, an | bn << 8)
}
