//! The era guard (SPEC §13.16) and the rules every era applies first: not delivered (§13.18), no
//! customer-service window (§6), free entry point (§6, §13.3–§13.6); then the era's own rules (§7).

use super::state::{EntryPoint, Sim, UserState, NONE};
use super::{ConversationRef, Event, EventKind, Reason, Status, Verdict, Window, WindowKind};
use crate::error::{Error, ErrorCode, Result};
use crate::markets::Resolution;
use crate::messages::{Params, Value};
use crate::model::{Category, Era, PricingModel, VerdictType, FEP_72H_START, FEP_HOURS_BEFORE_72H};
use crate::time::{format_date, Date, Zone, DAY_MS, HOUR_MS};
use rust_decimal::Decimal;

/// The era guard (SPEC §13.16, §7): the era of a business event's local date; an error naming `path` for
/// a date before 2022-02-01, when conversation-based pricing began. The one check of the date of
/// a business event: the simulator and the log pricer call it.
#[inline]
pub fn era_guard(d: Date, zone: &Zone, path: impl FnOnce() -> String) -> Result<Era> {
    match Era::of(d) {
        Some(era) => Ok(era),
        None => Err(before_2022(d, zone, path())),
    }
}

/// The era guard of a pricing date (a scenario's, a what-if's, a rate card's) (SPEC §13.16,
/// §7): its era, or an error at `path` whose message names the date, after `what`.
pub fn date_era(d: Date, path: &str, what: &str) -> Result<Era> {
    Era::of(d).ok_or_else(|| {
        Error::coded(
            ErrorCode::UnsupportedDate,
            "",
            path,
            format!(
                "{what}{} is before 2022-02-01, when conversation-based pricing began",
                format_date(d)
            ),
        )
        .with("date", Value::Date(d))
    })
}

#[cold]
#[inline(never)]
fn before_2022(d: Date, zone: &Zone, path: String) -> Error {
    Error::coded(
        ErrorCode::UnsupportedDate,
        "",
        path,
        format!(
            "business event on local date {} ({}) is before 2022-02-01, when conversation-based pricing began",
            format_date(d),
            zone.name()
        ),
    )
    .with("date", Value::Date(d))
}

/// Not delivered (SPEC §13.18): a business message that was not delivered changes nothing and costs
/// nothing; its category is its template's, else service.
#[inline]
fn undelivered(e: &Event, v: &mut Verdict) {
    v.vtype = VerdictType::NotDelivered;
    v.category = match e.kind {
        EventKind::Template(c) => c.category(),
        EventKind::MarketingLite => Category::Marketing,
        _ => Category::Service,
    };
    v.reason = Reason::NotDelivered(e.status);
}

/// A business event's verdict before its rules: free, regular, service, the era's model.
#[inline(always)]
fn new_verdict(index: u32, e: &Event, d: Date, resolution: Resolution, era: Era) -> Verdict {
    Verdict {
        index,
        at: e.at,
        local_date: d,
        user: e.user,
        from: e.from,
        kind: e.kind,
        resolution,
        model: era.model(),
        category: Category::Service,
        vtype: VerdictType::Regular,
        charged: false,
        amount: Decimal::ZERO,
        rate: None,
        tier: None,
        conversation: None,
        reason: Reason::Rider,
    }
}

impl Sim<'_> {
    /// A business message not delivered whose status came after later events (SPEC §13.18, for
    /// a log's late status): it changes no customer's state, so it is decided apart from the
    /// order of instants, and counted in the ledger like any other.
    pub(super) fn late_undelivered(&mut self, index: u32, e: &Event) -> Result<Verdict> {
        if e.status == Status::Delivered || matches!(e.kind, EventKind::Inbound { .. }) {
            return Err(Error::coded(
                ErrorCode::InvalidInput,
                "late_delivered",
                format!("events[{index}].status"),
                "a late event must be a business message that was not delivered",
            ));
        }
        let d = self.clock.date(e.at);
        let era = era_guard(d, self.clock.zone(), || format!("events[{index}].at"))?;
        let resolution = self
            .tables
            .markets
            .resolve(e.user, d, &self.req.options.markets);
        let mut v = new_verdict(index, e, d, resolution, era);
        undelivered(e, &mut v);
        self.record(&v)?;
        Ok(v)
    }

    /// One event of a customer: a customer message opens or restarts the customer-service window
    /// and may be a free-entry-point chance (SPEC §6); a business message passes the era guard
    /// (§13.16), resolves its market at its local date (§13.14) and is decided.
    // Inlined for speed except in the calculator's wasm, which is built for size (its budget).
    #[cfg_attr(
        any(not(target_arch = "wasm32"), feature = "logs-wasm"),
        inline(always)
    )]
    pub(super) fn step_user<const VERDICT: bool>(
        &mut self,
        s: &mut UserState,
        index: u32,
        e: &Event,
    ) -> Result<Option<Verdict>> {
        if let EventKind::Inbound { referral } = e.kind {
            s.csw_until = e.at + DAY_MS;
            if self.req.options.keep_windows {
                self.keep_window(WindowKind::Service, index, e, s.csw_until);
            }
            if referral {
                if s.entry_point == 0 {
                    self.entry_points.push(EntryPoint::NEW);
                    s.entry_point = self.entry_points.len() as u32;
                }
                self.entry_points[s.entry_point as usize - 1].chance = e.at;
            }
            return Ok(None);
        }
        let d = self.clock.date(e.at);
        let era = era_guard(d, self.clock.zone(), || format!("events[{index}].at"))?;
        if self.day.0 != d {
            self.day = (d, self.tables.markets.epoch_index(d));
            // Only logs take an opening state: the calculator's wasm goes without it.
            #[cfg(any(not(target_arch = "wasm32"), feature = "logs-wasm"))]
            if self.opening_pending {
                self.open_month(d);
            }
        }
        if s.epoch != self.day.1 {
            let r = self.tables.markets.resolve_cached(
                &mut self.resolved,
                e.user,
                d,
                self.day.1,
                &self.req.options.markets,
            );
            s.market = r.market;
            s.row = r.row.map_or(0, |i| i + 1);
            s.epoch = self.day.1;
        }
        let res = Resolution {
            market: s.market,
            row: s.row.checked_sub(1),
        };
        let mut v = new_verdict(index, e, d, res, era);
        self.decide(s, e, era, d, &mut v)?;
        self.record(&v)?;
        Ok(VERDICT.then_some(v))
    }

    /// The rules in order (SPEC §6, §13.2–§13.6, §13.18): not delivered, no customer-service window
    /// for free-form, the free entry point, then the era's rules (§7).
    pub(super) fn decide(
        &mut self,
        s: &mut UserState,
        e: &Event,
        era: Era,
        d: Date,
        v: &mut Verdict,
    ) -> Result<()> {
        let t = e.at;
        let template = match e.kind {
            EventKind::Template(c) => Some(c),
            _ => None,
        };
        // 1. Not delivered: nothing changes.
        if e.status != Status::Delivered {
            undelivered(e, v);
            return Ok(());
        }
        // 2. Free-form needs an open customer-service window (an MM Lite message is a template).
        let csw_open = t < s.csw_until;
        if template.is_none() && e.kind != EventKind::MarketingLite && !csw_open {
            v.vtype = VerdictType::NotDelivered;
            v.category = Category::Service;
            v.reason = Reason::NoWindow;
            self.warnings.event("no_window", v.index, || {
                Params::new()
                    .with("index", Value::Count(u64::from(v.index)))
                    .with("user", Value::Text(e.user.to_e164()))
            });
            return Ok(());
        }
        // 3. Free entry point: the first delivered business message after an ad-originated message.
        if let Some(k) = (s.entry_point as usize).checked_sub(1) {
            let r = self.entry_points[k].chance;
            if r != NONE {
                self.entry_points[k].chance = NONE;
                if t < r + DAY_MS {
                    let hours = if d < FEP_72H_START {
                        FEP_HOURS_BEFORE_72H
                    } else {
                        self.req.options.fep_hours
                    };
                    self.entry_points[k].hours = hours as u16;
                    self.entry_points[k].until = t + i64::from(hours) * HOUR_MS;
                    if self.req.options.keep_windows {
                        let end = self.entry_points[k].until;
                        self.keep_window(WindowKind::EntryPoint, v.index, e, end);
                    }
                    if s.convs != 0 {
                        self.convs(s).clear();
                    }
                    self.entry_points[k].conv = if era.model() == PricingModel::Cbp {
                        self.next_conv += 1;
                        *self
                            .totals
                            .conversations
                            .entry(Category::ReferralConversion)
                            .or_insert(0) += 1;
                        self.next_conv
                    } else {
                        0
                    };
                    v.reason = Reason::EntryPointOpened { hours };
                    Self::entry_point(&self.entry_points[k], era, v, true);
                    return Ok(());
                }
            }
            if t < self.entry_points[k].until {
                v.reason = Reason::EntryPointInside;
                Self::entry_point(&self.entry_points[k], era, v, false);
                return Ok(());
            }
        }
        // 4. The era's rules; an MM Lite message has its own in every era (SPEC §15).
        if e.kind == EventKind::MarketingLite {
            return self.marketing_lite(era, d, v);
        }
        if s.convs != 0 {
            self.convs(s).retain(|c| t < c.end);
        }
        match era {
            Era::TwoType => self.two_type(s, e, d, csw_open, v),
            Era::FourCategory => self.four_category(s, e, d, v),
            Era::PerMessage | Era::PaidService => self.per_message(s, e, era, d, csw_open, v),
        }
    }

    /// Keeps a window opened by event `index` at its instant (`Options::keep_windows`); out of
    /// line, so that the steps that do not keep windows stay as small as they were.
    #[cold]
    #[inline(never)]
    fn keep_window(&mut self, kind: WindowKind, index: u32, e: &Event, end: i64) {
        self.windows.push(Window {
            kind,
            index,
            user: e.user,
            start: e.at,
            end,
        });
    }

    /// A message inside a free-entry-point window (SPEC §13.6): `referral_conversion`, free.
    pub(super) fn entry_point(f: &EntryPoint, era: Era, v: &mut Verdict, opened: bool) {
        v.category = Category::ReferralConversion;
        v.vtype = VerdictType::FreeEntryPoint;
        if era.model() == PricingModel::Cbp && f.conv != 0 {
            v.conversation = Some(ConversationRef {
                id: f.conv,
                category: Category::ReferralConversion,
                start: f.start(),
                end: f.until,
                opened,
            });
        }
    }
}
