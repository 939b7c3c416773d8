//! The entry points: a whole timeline ([`simulate`]) or a stream fed one event at a time
//! ([`Simulator`]).

use super::state::{Sim, UserState};
use super::{Event, Request, Simulation, Tables, Verdict, MAX_EVENTS, PREFETCH_AHEAD};
use crate::error::{Error, ErrorCode, Result};
use crate::messages::Value;
use crate::usertable::UserTable;

/// The `limit_exceeded` error of more than [`MAX_EVENTS`] events, counted as they are read.
#[cold]
#[inline(never)]
pub(crate) fn too_many_events(message: String) -> Error {
    Error::coded(
        ErrorCode::LimitExceeded,
        "too_many_events",
        "events",
        message,
    )
    .with("limit", Value::Count(MAX_EVENTS as u64))
}

/// The `limit_exceeded` error of more than [`MAX_EVENTS`] events given at once.
#[cold]
#[inline(never)]
fn events_over_limit(count: usize) -> Error {
    Error::coded(
        ErrorCode::LimitExceeded,
        "events_over_limit",
        "events",
        format!("{count} events exceed the limit of {MAX_EVENTS} per simulation"),
    )
    .with("count", Value::Count(count as u64))
    .with("limit", Value::Count(MAX_EVENTS as u64))
}

/// Runs a simulation.
pub fn simulate<'a>(tables: impl Into<Tables<'a>>, req: &'a Request) -> Result<Simulation> {
    if req.events.len() > MAX_EVENTS {
        return Err(events_over_limit(req.events.len()));
    }
    let mut sim = Run::start(tables.into(), req, req.events.len())?;
    let events = &req.events;
    // The position in the input of each event (a group message gives several events).
    let source = |i: usize| req.sources.index.get(i).map_or(i as u32, |&s| s);
    let sorted = events.windows(2).all(|w| w[0].at <= w[1].at);
    if sorted {
        for (i, e) in events.iter().enumerate() {
            if let Some(ahead) = events.get(i + PREFETCH_AHEAD) {
                sim.prefetch(ahead);
            }
            sim.step::<false>(source(i), e)?;
        }
    } else {
        let mut order: Vec<u32> = (0..events.len() as u32).collect();
        crate::sort::sort_by_key(&mut order, |&i| (events[i as usize].at, i));
        for (n, &i) in order.iter().enumerate() {
            if let Some(&ahead) = order.get(n + PREFETCH_AHEAD) {
                sim.prefetch(&events[ahead as usize]);
            }
            sim.step::<false>(source(i as usize), &events[i as usize])?;
        }
    }
    sim.finish()
}

/// A simulation fed one event at a time, in order of instant, for streams too large to hold
/// (log files). Memory grows with the number of distinct customers, not of events, when verdicts
/// are not kept (`Options::keep_messages` false).
pub struct Simulator<'a> {
    sim: Run<'a>,
    last_at: i64,
    next: u32,
}

impl<'a> Simulator<'a> {
    /// Starts a simulation with the settings of `req` (its `events` are ignored).
    pub fn new(tables: impl Into<Tables<'a>>, req: &'a Request) -> Result<Simulator<'a>> {
        Ok(Simulator {
            sim: Run::start(tables.into(), req, 0)?,
            last_at: i64::MIN,
            next: 0,
        })
    }

    /// Prices the next event; events must come in order of instant (equal instants keep their
    /// order). Returns the verdict of a business event. The event's index is its position in the
    /// stream.
    pub fn push(&mut self, e: &Event) -> Result<Option<Verdict>> {
        self.push_as::<true>(e)
    }

    #[inline(always)]
    fn push_as<const VERDICT: bool>(&mut self, e: &Event) -> Result<Option<Verdict>> {
        let index = self.next;
        if e.at < self.last_at {
            let (at, last) = (
                crate::time::format_instant(e.at),
                crate::time::format_instant(self.last_at),
            );
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "out_of_order",
                format!("events[{index}].at"),
                format!(
                    "event at {at} comes before the previous event at {last}: a stream must be in order of time"
                ),
            )
            .value(&at)
            .with("previous", Value::Text(last)));
        }
        // The per-call limit protects the list of verdicts; a stream that keeps none is bounded
        // by its customers, not its events.
        if self.sim.sim.req.options.keep_messages && index as usize >= MAX_EVENTS {
            return Err(too_many_events(format!(
                "more than {MAX_EVENTS} events in one simulation"
            )));
        }
        self.last_at = e.at;
        self.next = self.next.saturating_add(1);
        self.sim.step::<VERDICT>(index, e)
    }

    /// [`push`](Simulator::push) without a copy of the verdict, for a caller that needs only the
    /// totals.
    pub fn push_quiet(&mut self, e: &Event) -> Result<()> {
        self.push_as::<false>(e).map(|_| ())
    }

    /// A hint that `e` will be pushed soon: starts loading its customer's state, so that pushes
    /// fed from a buffer overlap their memory accesses. Has no effect on results.
    #[inline]
    pub fn prefetch(&self, e: &Event) {
        self.sim.prefetch(e);
    }

    /// Loads the slot of the customer of `e` and returns a word of it, for targets without a
    /// prefetch instruction: calling it for several events to come, back to back, overlaps their
    /// memory accesses. Has no effect on results.
    #[inline]
    pub fn touch(&self, e: &Event) -> u64 {
        self.sim.users.touch(e.user.value)
    }

    /// Number of distinct customers seen.
    pub fn users(&self) -> usize {
        self.sim.users.len()
    }

    /// Prices a business message that was not delivered and whose status came after later events
    /// were pushed (a log's late status): not delivered (SPEC §13.18), it changes no state, so it needs no place
    /// in the order of instants. Its date passes the era guard; it is counted in the totals like
    /// any message; its verdict carries the index of the event pushed next.
    pub fn push_late_undelivered(&mut self, e: &Event) -> Result<Verdict> {
        self.sim.sim.late_undelivered(self.next, e)
    }

    /// Withdraws a not-delivered verdict from the totals: its message was delivered after all (a
    /// log's late delivery status), and is pushed again as delivered.
    pub fn withdraw_undelivered(&mut self) {
        self.sim.sim.withdraw_undelivered();
    }

    /// The rate the next charged message of a tiered category (utility, authentication) would
    /// have in its month at its tier position, without counting it (SPEC §8); the list rate
    /// where no tier table is in force; `None` without a rate.
    pub fn next_tier_rate(
        &self,
        market: crate::markets::MarketId,
        cat: crate::model::Category,
        d: crate::time::Date,
    ) -> Option<rust_decimal::Decimal> {
        self.sim.sim.next_tier_rate(market, cat, d)
    }

    /// Ends the stream.
    pub fn finish(self) -> Result<Simulation> {
        self.sim.finish()
    }
}

/// A simulation under way: the per-customer table beside the rest of the state, so that a step
/// borrows one customer's state and the rest at once.
pub(super) struct Run<'a> {
    users: UserTable<UserState>,
    sim: Sim<'a>,
}

impl<'a> Run<'a> {
    fn start(tables: Tables<'a>, req: &'a Request, capacity: usize) -> Result<Self> {
        Ok(Run {
            users: UserTable::new(UserState::NEW),
            sim: Sim::start(tables, req, capacity)?,
        })
    }

    /// Prices the next event; its verdict is returned when `VERDICT` (a copy that a batch, which
    /// keeps verdicts itself, does without).
    #[inline]
    fn step<const VERDICT: bool>(&mut self, index: u32, e: &Event) -> Result<Option<Verdict>> {
        self.sim
            .step_user::<VERDICT>(self.users.entry(e.user.value), index, e)
    }

    /// Starts loading the state of the customer of an event to come (see [`UserTable::prefetch`]).
    #[inline]
    fn prefetch(&self, e: &Event) {
        self.users.prefetch(e.user.value);
    }

    fn finish(self) -> Result<Simulation> {
        self.sim.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limits of events per simulation: a list longer than [`MAX_EVENTS`] (checked before any
    /// work), or a stream or input read past it. Twenty million events are too many for a test to
    /// build, so the errors are checked as built.
    #[test]
    fn too_many_events_name_the_limit() {
        let e = events_over_limit(MAX_EVENTS + 1);
        assert_eq!(e.reason(), "events_over_limit");
        assert_eq!(crate::reasons::check(&e), Ok(()));
        assert_eq!(
            e.message,
            "20000001 events exceed the limit of 20000000 per simulation"
        );
        let e = too_many_events(format!("more than {MAX_EVENTS} events in one simulation"));
        assert_eq!((e.reason(), e.path.as_str()), ("too_many_events", "events"));
        assert_eq!(crate::reasons::check(&e), Ok(()));
    }
}
