//! The reorder buffer: events held until the log is `reorderWindow` past them, released in order,
//! their customers' slots loaded ahead (prefetch on x86-64, grouped loads on wasm).

use super::*;
use crate::messages::Value;

pub(super) enum Held {
    Event(crate::pricing::Event),
    Msg(u32),
}

pub(super) struct Buffered {
    pub(super) at: i64,
    pub(super) line: u64,
    pub(super) held: Held,
}

/// The error of an event that comes more than the reorder window after events already priced.
pub(crate) fn late_error(line: u64, at: i64, window_ms: i64, frontier: i64) -> Error {
    let (at, frontier) = (format_instant(at), format_instant(frontier));
    Error::coded_at(
        ErrorCode::InvalidInput,
        "log_event_too_late",
        "at",
        log_line(line),
        format!(
            "event at {at} comes more than the reorder window ({} s) after events already priced up to {frontier}: sort the log, or raise reorderWindow",
            window_ms / 1000,
        ),
    )
    .with("instant", Value::Text(at))
    .with("seconds", Value::Count((window_ms / 1000) as u64))
    .with("frontier", Value::Text(frontier))
}

/// Keeps `peak` up to date with `n` events held for reordering (the one of `line` included): an
/// error past [`MAX_BUFFERED`]. The pricer's buffer and a reader's (see `tape`) both count so.
#[inline]
pub(crate) fn count_held(n: usize, peak: &mut u64, line: u64) -> Result<()> {
    if n as u64 > *peak {
        *peak = n as u64;
        if n > MAX_BUFFERED {
            return Err(Error::coded_at(
                ErrorCode::LimitExceeded,
                "log_reorder_buffer_full",
                "",
                log_line(line),
                format!("more than {MAX_BUFFERED} events held for reordering: lower reorderWindow"),
            )
            .with("limit", Value::Count(MAX_BUFFERED as u64)));
        }
    }
    Ok(())
}

/// How many events' customers [`Core::warm`] loads at once.
#[cfg(not(target_arch = "x86_64"))]
pub(super) const WARM_GROUP: usize = 16;

impl<'a> Core<'a> {
    pub(super) fn late(&mut self, line: u64, at: i64) -> Result<()> {
        let e = late_error(line, at, self.opts.reorder_window_ms, self.frontier);
        self.bad_line(line, e)
    }

    /// An event that a reader put in order itself (its own reorder buffer): priced now, as
    /// `release` prices a held event. See [`tape`](super::tape).
    #[inline]
    pub(crate) fn ready(&mut self, e: crate::pricing::Event, line: u64) -> Result<()> {
        self.events += 1;
        self.watermark = self.watermark.max(e.at);
        self.frontier = self.frontier.max(e.at);
        self.price_now(e, line, None)
    }

    /// An event was read that a reader's reorder buffer refused (the error follows).
    pub(crate) fn seen(&mut self) {
        self.events += 1;
    }

    /// The largest number of events a reader's reorder buffer held.
    pub(crate) fn held_at_most(&mut self, n: u64) {
        self.input.peak_buffered = self.input.peak_buffered.max(n);
    }

    /// Prices a run of events that a reader put in order, loading each customer's slots a few
    /// events ahead (as `release_ready` does from the reorder buffer).
    pub(crate) fn ready_run(&mut self, run: &[(crate::pricing::Event, u64)]) -> Result<()> {
        #[cfg(target_arch = "x86_64")]
        {
            let ahead = crate::pricing::PREFETCH_AHEAD;
            for (e, _) in run.iter().take(ahead) {
                self.prefetch(e);
            }
            for (i, &(e, line)) in run.iter().enumerate() {
                if let Some((next, _)) = run.get(i + ahead) {
                    self.prefetch(next);
                }
                self.ready(e, line)?;
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        for group in run.chunks(WARM_GROUP) {
            self.touched ^= self.touch(group.iter().map(|(e, _)| e));
            for &(e, line) in group {
                self.ready(e, line)?;
            }
        }
        Ok(())
    }

    /// Loads the customers' slots of `events` back to back (see `warm`); returns what was read,
    /// to be kept so that the loads are done.
    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    pub(super) fn touch<'e>(&self, events: impl Iterator<Item = &'e crate::pricing::Event>) -> u64 {
        let base = self.base.as_ref().and_then(|s| s.sim.as_ref());
        let what_if = self.what_if.as_ref().and_then(|(s, _)| s.sim.as_ref());
        let mut acc = 0;
        for e in events {
            if let Some(sim) = base {
                acc ^= sim.touch(e);
            }
            if let Some(sim) = what_if {
                acc ^= sim.touch(e);
            }
        }
        acc
    }

    /// Asks the processor to start loading the customer's slots of `e`.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    pub(super) fn prefetch(&self, e: &crate::pricing::Event) {
        if let Some(sim) = self.base.as_ref().and_then(|s| s.sim.as_ref()) {
            sim.prefetch(e);
        }
        if let Some(sim) = self.what_if.as_ref().and_then(|(s, _)| s.sim.as_ref()) {
            sim.prefetch(e);
        }
    }

    /// Adds to the reorder buffer, after the held items of the same instant.
    pub(super) fn hold(&mut self, at: i64, line: u64, held: Held) -> Result<()> {
        self.watermark = self.watermark.max(at);
        let item = Buffered { at, line, held };
        match self.buffer.back() {
            Some(last) if last.at > at => {
                let i = self.buffer.partition_point(|x| x.at <= at);
                self.buffer.insert(i, item);
            }
            _ => self.buffer.push_back(item),
        }
        count_held(self.buffer.len(), &mut self.input.peak_buffered, line)
    }

    pub(super) fn release_ready(&mut self) -> Result<()> {
        let w = self.opts.reorder_window_ms;
        while let Some(b) = self.buffer.front() {
            if b.at.saturating_add(w) > self.watermark {
                break;
            }
            // The customer of an event a few places behind will be priced soon: start loading it.
            #[cfg(not(target_arch = "x86_64"))]
            if self.warm == 0 {
                self.warm();
            }
            #[cfg(target_arch = "x86_64")]
            if let Some(Buffered {
                held: Held::Event(e),
                ..
            }) = self.buffer.get(crate::pricing::PREFETCH_AHEAD)
            {
                self.prefetch(e);
            }
            // cannot fail: the loop condition just saw self.buffer.front() return Some.
            let b = self.buffer.pop_front().expect("front exists");
            #[cfg(not(target_arch = "x86_64"))]
            {
                self.warm = self.warm.saturating_sub(1);
            }
            self.release(b)?;
        }
        self.expire()
    }

    /// Loads the customers' slots of the next [`WARM_GROUP`] events, back to back: without a
    /// prefetch instruction (wasm), loads issued together are in flight together, where the
    /// same loads made by each event's step would wait for main memory one after the other.
    #[cfg(not(target_arch = "x86_64"))]
    pub(super) fn warm(&mut self) {
        let events = self
            .buffer
            .iter()
            .take(WARM_GROUP)
            .filter_map(|b| match &b.held {
                Held::Event(e) => Some(e),
                Held::Msg(_) => None,
            });
        self.touched ^= self.touch(events);
        self.warm = self.buffer.len().min(WARM_GROUP);
    }

    pub(super) fn release(&mut self, b: Buffered) -> Result<()> {
        self.frontier = self.frontier.max(b.at);
        match b.held {
            Held::Event(e) => self.price_now(e, b.line, None),
            Held::Msg(slot) => {
                let m = self.take_msg(slot);
                let Some((_, status)) = m.resolution() else {
                    return Ok(());
                };
                if status == Status::Delivered && m.sent == NONE && m.delivered == NONE {
                    // Only `read`: a read status of a message priced before, or whose delivery
                    // is not in the log.
                    self.remember(&m.id, false);
                    self.input.reads_without_message += 1;
                    return Ok(());
                }
                self.remember(&m.id, false);
                if status == Status::Delivered {
                    self.count_recipient(&m);
                }
                let (kind, assumed) = self.kind_of(&m, status == Status::Delivered);
                if assumed {
                    self.input.assumed_kinds += 1;
                    if self.assumed_lines.len() < 5 {
                        self.assumed_lines.push(m.line);
                    }
                }
                if m.retract {
                    if let Some(s) = self.base.as_mut() {
                        s.withdraw_undelivered();
                    }
                    if let Some((s, _)) = self.what_if.as_mut() {
                        s.withdraw_undelivered();
                    }
                }
                let e = crate::pricing::Event {
                    at: m.key,
                    user: m.user,
                    kind,
                    from: m.from,
                    status,
                };
                self.price(e, m.line, Some(&m))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four million held events are too many to build in a test: the count itself.
    #[test]
    fn too_many_held_events() {
        let mut peak = 0;
        assert!(count_held(MAX_BUFFERED, &mut peak, 3).is_ok());
        let e = count_held(MAX_BUFFERED + 1, &mut peak, 4).unwrap_err();
        assert_eq!(e.reason(), "log_reorder_buffer_full");
        assert_eq!(crate::reasons::check(&e), Ok(()));
        assert_eq!(e.loc.map(|l| l.line), Some(4));
    }
}
