//! One pricing side (as logged, or the what-if) and the pricing of a due event on both; the report.
//!
//! The era guard of a business event and the verdict on a message whose status came late are the
//! kernel's (`pricing::era_guard`, `Simulator::push_late_undelivered`).

use super::*;

/// One pricing (as logged, or the what-if).
pub(super) struct Side<'a> {
    pub(super) req: &'a Request,
    pub(super) sim: Option<Simulator<'a>>,
    pub(super) last_at: i64,
}

impl<'a> Side<'a> {
    pub(super) fn new(engine: &'a Engine, req: &'a Request) -> Result<Side<'a>> {
        Ok(Side {
            req,
            sim: Some(Simulator::new(engine, req)?),
            last_at: NONE,
        })
    }

    /// Prices one event; events come in order except not-delivered messages whose status came
    /// late (they change no state: the kernel prices them apart) and the few
    /// what-if instants that a calendar shift puts a little out of order (held at the last one).
    /// The verdict is returned when `VERDICT` (a caller that needs only the totals goes without
    /// its copy).
    #[inline]
    pub(super) fn price<const VERDICT: bool>(
        &mut self,
        mut e: crate::pricing::Event,
    ) -> Result<Option<Verdict>> {
        if e.at < self.last_at {
            if e.status != Status::Delivered && !matches!(e.kind, EventKind::Inbound { .. }) {
                return match self.sim.as_mut() {
                    Some(sim) => sim.push_late_undelivered(&e).map(|v| VERDICT.then_some(v)),
                    None => Ok(None),
                };
            }
            e.at = self.last_at;
        }
        self.last_at = e.at;
        match self.sim.as_mut() {
            Some(sim) if VERDICT => sim.push(&e),
            Some(sim) => sim.push_quiet(&e).map(|()| None),
            None => Ok(None),
        }
    }

    pub(super) fn users(&self) -> u64 {
        self.sim.as_ref().map_or(0, |s| s.users() as u64)
    }

    pub(super) fn finish(&mut self) -> Result<Simulation> {
        let sim = self.sim.take().ok_or_else(|| {
            Error::coded(
                ErrorCode::InvalidInput,
                "log_pricing_finished",
                "",
                "already finished".to_string(),
            )
        })?;
        sim.finish()
    }

    /// Withdraws a not-delivered verdict: its message was delivered after all.
    pub(super) fn withdraw_undelivered(&mut self) {
        if let Some(sim) = self.sim.as_mut() {
            sim.withdraw_undelivered();
        }
    }
}

pub(super) struct Shifter {
    pub(super) shift: Shift,
    pub(super) target: Option<MonthKey>,
    pub(super) months: Option<i32>,
}

impl<'a> Core<'a> {
    /// [`price_now`](Core::price_now), not inlined: for the rare paths (webhook messages, and
    /// statuses timed out), not for the events of a reorder buffer.
    pub(super) fn price(
        &mut self,
        e: crate::pricing::Event,
        line: u64,
        msg: Option<&PendingMsg>,
    ) -> Result<()> {
        self.price_now(e, line, msg)
    }

    /// Prices an event that is due.
    #[inline(always)]
    pub(super) fn price_now(
        &mut self,
        e: crate::pricing::Event,
        line: u64,
        msg: Option<&PendingMsg>,
    ) -> Result<()> {
        if !matches!(e.kind, EventKind::Inbound { .. }) {
            let d = self.clock.date(e.at);
            if let Err(err) = era_guard(d, self.clock.zone(), || "at".to_string()) {
                return self.bad_line(line, err.or_at(log_line(line)));
            }
        }
        // The pricing's error, at the log's line (its reason and params kept).
        let fatal = |e: Error| Error {
            path: String::new(),
            loc: Some(log_line(line)),
            ..e
        };
        self.priced += 1;
        let Some(base) = self.base.as_mut() else {
            return Ok(());
        };
        // Only a reconciliation needs the verdict itself (the charged counts are the simulator's).
        let verdict = match msg {
            Some(_) => base.price::<true>(e).map_err(fatal)?,
            None => base.price::<false>(e).map_err(fatal)?,
        };
        match e.kind {
            EventKind::Inbound { .. } => {
                self.input.inbound += 1;
                if self.format == Some(LogFormat::Webhook) {
                    self.hint(e.user.value).last_inbound = e.at;
                }
            }
            _ => self.input.business_messages += 1,
        }
        if let (Some(v), Some(m)) = (verdict, msg) {
            self.reconcile(&v, m, line);
        }
        if let Some((side, shifter)) = self.what_if.as_mut() {
            let mut se = e;
            if shifter.shift == Shift::Months {
                let months = *shifter.months.get_or_insert_with(|| {
                    shifter.target.unwrap_or(0) - month_key(self.clock.date(e.at))
                });
                se.at = shift_months(e.at, months, &side.req.zone);
            }
            side.price::<false>(se).map_err(fatal)?;
        }
        Ok(())
    }

    pub(crate) fn progress(&self, format: Option<LogFormat>) -> Progress {
        Progress {
            format: format.map(LogFormat::as_str),
            bytes: self.input.bytes,
            lines: self.input.lines,
            events: self.events,
            priced: self.priced,
            business_messages: self.input.business_messages,
            errors: self.input.errors,
            users: self
                .base
                .as_ref()
                .map_or(0, Side::users)
                .max(self.input.users),
            buffered: self.buffer.len() as u64,
            pending: self.pending as u64,
        }
    }

    /// Prices everything still held and builds the report.
    pub(crate) fn finish(&mut self, format: Option<LogFormat>) -> Result<LogReport> {
        self.drain()?;
        self.report(format)
    }

    /// Prices everything still held: the reorder buffer, then the webhook messages that never got
    /// past `sent` (not delivered).
    fn drain(&mut self) -> Result<()> {
        while let Some(b) = self.buffer.pop_front() {
            self.release(b)?;
        }
        // Messages that never got past `sent`: not delivered.
        let rest: Vec<u32> = self
            .slab
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.as_ref().map(|_| i as u32))
            .collect();
        // Not delivered: their order does not matter (they change no state).
        for slot in rest {
            let m = self.take_msg(slot);
            self.price_undelivered(&m)?;
        }
        Ok(())
    }

    /// The report, once everything is priced.
    fn report(&mut self, format: Option<LogFormat>) -> Result<LogReport> {
        let engine = self.engine;
        let opts = self.opts;
        let format_name = format.unwrap_or(LogFormat::Csv).as_str();
        let Some(base) = self.base.as_mut() else {
            return Ok(LogReport {
                format: format_name,
                currency: opts.request.currency.clone(),
                timezone: opts.request.zone.name(),
                input: self.input.clone(),
                totals: None,
                cards: Vec::new(),
                files: Vec::new(),
                warnings: Vec::new(),
                invoice: Vec::new(),
                what_if: None,
                reconciliation: None,
            });
        };
        self.input.users = base.users();
        let sim = base.finish()?;
        let rep = report::simulation(engine, &sim);
        let mut warnings = rep.warnings;
        self.log_warnings(&mut warnings);
        let recon_on = format == Some(LogFormat::Webhook) || self.recon.seen_pricing;
        let invoice = self.invoice(&sim, recon_on);
        let what_if = match self.what_if.as_mut() {
            None => None,
            Some((side, shifter)) => {
                // cannot fail: self.what_if is Some only when it was built from Some(opts.what_if).
                let w = opts.what_if.as_ref().expect("what-if options");
                let wsim = side.finish()?;
                let wrep = report::simulation(engine, &wsim);
                let delta = (wsim.currency == sim.currency).then(|| delta(engine, &sim, &wsim));
                Some(WhatIfReport {
                    date: w.date.map(crate::time::format_date),
                    shift: w.shift.as_str(),
                    months: shifter.months.unwrap_or(0),
                    currency: wsim.currency.clone(),
                    totals: wrep.totals,
                    cards: wrep.cards,
                    files: crate::logs::files::card_files(engine, &wsim),
                    warnings: wrep.warnings,
                    delta,
                })
            }
        };
        Ok(LogReport {
            format: format_name,
            currency: sim.currency.clone(),
            timezone: sim.timezone.clone(),
            input: self.input.clone(),
            totals: Some(rep.totals),
            cards: rep.cards,
            files: crate::logs::files::card_files(engine, &sim),
            warnings,
            invoice,
            what_if,
            reconciliation: recon_on.then(|| {
                self.close_reconciliation();
                std::mem::take(&mut self.recon.report)
            }),
        })
    }

    /// The warnings of the log itself: kinds assumed, messages timed out, nothing to price.
    fn log_warnings(&self, warnings: &mut Vec<WarningReport>) {
        let opts = self.opts;
        use crate::messages::{Params, Value};
        if self.input.assumed_kinds > 0 {
            let lines = self.assumed_lines.iter().map(u64::to_string);
            warnings.push(WarningReport::new(
                "assumed_kind",
                Params::new()
                    .with("count", Value::Count(self.input.assumed_kinds))
                    .with("lines", Value::Text(lines.collect::<Vec<_>>().join(", "))),
            ));
        }
        if self.input.timed_out > 0 {
            warnings.push(WarningReport::new(
                "not_delivered_timeout",
                Params::new()
                    .with("count", Value::Count(self.input.timed_out))
                    .with(
                        "seconds",
                        Value::Count(u64::try_from(opts.delivery_timeout_ms / 1000).unwrap_or(0)),
                    ),
            ));
        }
        if self.events == 0 {
            // A total of 0 for a log with nothing in it is no answer: the wrong file, or a
            // format that reads nothing from it.
            warnings.push(WarningReport::new(
                "empty_log",
                Params::new()
                    .with("lines", Value::Count(self.input.lines))
                    .with("malformed", Value::Count(self.input.errors)),
            ));
        }
    }
}
