//! The table of per-customer state of the simulator: an open-addressing hash table keyed by the
//! customer's number, two customers per cache line.
//!
//! A large timeline visits its customers in no useful order, so each event costs a cache miss on
//! its customer's state; with a million customers that miss goes to main memory. This table keeps
//! the key and the state in the same 32-byte slot (one miss, not the two of a general map with
//! separate control bytes; half the memory of a slot per line) and lets the caller
//! [`prefetch`](UserTable::prefetch) the slot of an event a few events ahead, so that several
//! misses are in flight at once.

/// Key of an empty slot. A customer key is the number of an E.164 number (at most 15 digits),
/// so it never reaches this value.
const EMPTY: u64 = u64::MAX;

/// One slot: a key and its state, aligned so that a slot of up to 32 bytes never straddles two
/// cache lines (two customers per 64-byte line).
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Slot<V: Copy> {
    key: u64,
    value: V,
}

/// An open-addressing (linear probing) hash table from customer keys to `V`.
pub(crate) struct UserTable<V: Copy> {
    slots: Vec<Slot<V>>,
    /// Bits of the slot index (`slots.len() == 1 << bits`, or 0 slots before the first insert).
    bits: u32,
    len: usize,
    /// The state of a customer not seen before.
    new: V,
}

impl<V: Copy> UserTable<V> {
    /// An empty table whose new entries start as `new`.
    pub(crate) fn new(new: V) -> UserTable<V> {
        UserTable {
            slots: Vec::new(),
            bits: 0,
            len: 0,
            new,
        }
    }

    /// Number of customers.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        // Fibonacci hashing: the high bits of key × 2^64/φ (customer numbers are often sequential).
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// Asks the processor to start loading the slot of `key`; a hint with no effect on results.
    #[inline]
    pub(crate) fn prefetch(&self, key: u64) {
        #[cfg(target_arch = "x86_64")]
        if self.bits > 0 {
            let p = self.slots.as_ptr().wrapping_add(self.home(key)) as *const i8;
            // SAFETY: prefetching is a hint that never faults, even for an address outside the
            // allocation; `p` is in bounds anyway (home < slots.len()).
            unsafe { core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = key;
    }

    /// Loads the key in the home slot of `key` and returns it: a plain load, for targets without a
    /// prefetch instruction (wasm). Loads of a group of customers done back to back are in flight
    /// at once, where the same loads inside each event's step would wait one after the other.
    #[inline]
    pub(crate) fn touch(&self, key: u64) -> u64 {
        match self.bits {
            0 => 0,
            _ => self.slots[self.home(key)].key,
        }
    }

    /// The state of `key`, inserted as the new state when absent.
    #[inline(always)]
    pub(crate) fn entry(&mut self, key: u64) -> &mut V {
        debug_assert_ne!(key, EMPTY);
        // Grow at 3/4 full (also makes the first insert allocate).
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let k = self.slots[i].key;
            if k == key {
                return &mut self.slots[i].value;
            }
            if k == EMPTY {
                self.len += 1;
                self.slots[i] = Slot {
                    key,
                    value: self.new,
                };
                return &mut self.slots[i].value;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let bits = (self.bits + 1).max(4);
        let old = std::mem::replace(&mut self.slots, fresh(1 << bits, self.new));
        self.bits = bits;
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.key != EMPTY) {
            let mut i = self.home(s.key);
            while self.slots[i].key != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}

/// `n` empty slots. A large table asks the kernel for 2 MiB pages before it is first written:
/// its slots are visited at random, and with 4 KiB pages nearly every visit of a large table also
/// misses the TLB (a page walk, which is dearer still in a virtual machine).
fn fresh<V: Copy>(n: usize, new: V) -> Vec<Slot<V>> {
    let mut v: Vec<Slot<V>> = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let bytes = n * std::mem::size_of::<Slot<V>>();
        if bytes >= 2 * HUGE {
            let start = v.as_ptr() as usize;
            let first = start.next_multiple_of(HUGE);
            let end = (start + bytes) / HUGE * HUGE;
            if end > first {
                // SAFETY: madvise only advises on the range [first, end), which lies within this
                // vector's allocation (not yet written); the advice has no effect on its contents.
                // Its failure (an old kernel, huge pages off) leaves ordinary pages.
                unsafe {
                    libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
                }
            }
        }
    }
    v.resize(
        n,
        Slot {
            key: EMPTY,
            value: new,
        },
    );
    v
}

#[cfg(test)]
mod tests {
    use super::UserTable;

    #[test]
    fn entries_survive_growth_and_collisions() {
        let mut t = UserTable::new(0u64);
        // Sequential keys, keys sharing high bits, and E.164-sized keys.
        let keys: Vec<u64> = (0..5000u64)
            .chain((0..2000).map(|i| i << 40))
            .chain((0..2000).map(|i| 919_800_000_000 + i * 7919))
            .collect();
        for (n, &k) in keys.iter().enumerate() {
            *t.entry(k) += n as u64 + 1;
        }
        let distinct: std::collections::HashSet<u64> = keys.iter().copied().collect();
        assert_eq!(t.len(), distinct.len());
        let mut expect = std::collections::HashMap::new();
        for (n, &k) in keys.iter().enumerate() {
            *expect.entry(k).or_insert(0u64) += n as u64 + 1;
        }
        for (&k, &v) in &expect {
            t.prefetch(k);
            assert_eq!(*t.entry(k), v, "key {k}");
        }
        assert_eq!(t.len(), distinct.len(), "looking up adds nothing");
    }
}
