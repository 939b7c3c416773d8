//! The conversation eras: riding an open conversation (SPEC §13.7, §13.9), opening one, the
//! two-type rules (§7.1, to 2023-05-31) and the four-category rules (§7.2, 2023-06-01 to
//! 2025-06-30).

use super::state::{OpenConv, Sim, UserState};
use super::{ConversationRef, Event, EventKind, Reason, Verdict};
use crate::error::Result;
use crate::model::{Category, Era, PricingModel, VerdictType, FREE_SERVICE_START};
use crate::time::{Date, DAY_MS};
use rust_decimal::Decimal;

impl Sim<'_> {
    /// A rider (SPEC §13.7, §13.9): free inside an open conversation, with its category and type;
    /// a utility conversation carried over 2025-07-01 says so.
    pub(super) fn ride(v: &mut Verdict, c: &OpenConv) {
        v.model = PricingModel::Cbp;
        v.category = c.category;
        v.vtype = c.vtype;
        v.reason = if c.era == Era::FourCategory && v.local_date >= crate::model::PMP_START {
            Reason::CarriedUtility
        } else {
            Reason::Rider
        };
        v.conversation = Some(ConversationRef {
            id: c.id,
            category: c.category,
            start: c.start,
            end: c.end,
            opened: false,
        });
    }

    /// Opens a 24 h conversation of `category` at the message (SPEC §7.1, §7.2; SPEC §3: the card
    /// of the opening instant), charged unless `free` gives its free type.
    pub(super) fn open(
        &mut self,
        s: &mut UserState,
        era: Era,
        category: Category,
        free: Option<VerdictType>,
        v: &mut Verdict,
    ) -> Result<()> {
        self.next_conv += 1;
        let c = OpenConv {
            id: self.next_conv,
            category,
            start: v.at,
            end: v.at + DAY_MS,
            vtype: free.unwrap_or(VerdictType::Regular),
            era,
        };
        self.convs(s).push(c);
        *self.totals.conversations.entry(category).or_insert(0) += 1;
        v.category = category;
        v.vtype = c.vtype;
        v.reason = Reason::ConversationOpened;
        v.conversation = Some(ConversationRef {
            id: c.id,
            category,
            start: c.start,
            end: c.end,
            opened: true,
        });
        if free.is_none() {
            let rate = self.list_rate(
                PricingModel::Cbp,
                v.resolution.market,
                category,
                v.local_date,
                v.index,
            )?;
            v.rate = rate;
            v.amount = rate.unwrap_or(Decimal::ZERO);
            v.charged = true;
        }
        Ok(())
    }

    /// Two types, 2022-02-01 to 2023-05-31 (SPEC §7.1, §11.7): a message opens a user- or
    /// business-initiated conversation unless one is open; the month's free tier first.
    pub(super) fn two_type(
        &mut self,
        s: &mut UserState,
        _e: &Event,
        d: Date,
        csw_open: bool,
        v: &mut Verdict,
    ) -> Result<()> {
        if let Some(c) = self.open_convs(s).first().copied() {
            Self::ride(v, &c);
            return Ok(());
        }
        let category = if csw_open {
            Category::UserInitiated
        } else {
            Category::BusinessInitiated
        };
        let free = self.free_tier_take(d).then_some(VerdictType::FreeTier);
        self.open(s, Era::TwoType, category, free, v)
    }

    /// Four categories, 2023-06-01 to 2025-06-30 (SPEC §7.2, §13.8): a template opens a
    /// conversation of its category unless one is open; a free-form message rides any open one or
    /// opens a service conversation (free tier, then free from 2024-11-01).
    pub(super) fn four_category(
        &mut self,
        s: &mut UserState,
        e: &Event,
        d: Date,
        v: &mut Verdict,
    ) -> Result<()> {
        match e.kind {
            EventKind::Template(tc) => {
                let want = tc.category();
                let open = self.open_convs(s).iter().find(|c| {
                    c.era == Era::FourCategory
                        && (c.category == want
                            || (want == Category::Authentication
                                && c.category == Category::AuthenticationInternational))
                });
                if let Some(c) = open.copied() {
                    Self::ride(v, &c);
                    return Ok(());
                }
                let category = if want == Category::Authentication {
                    self.auth_category(v)
                } else {
                    want
                };
                self.open(s, Era::FourCategory, category, None, v)
            }
            _ => {
                if let Some(c) = self.open_convs(s).first().copied() {
                    Self::ride(v, &c);
                    return Ok(());
                }
                let free = if d >= FREE_SERVICE_START {
                    Some(VerdictType::FreeCustomerService)
                } else {
                    self.free_tier_take(d).then_some(VerdictType::FreeTier)
                };
                self.open(s, Era::FourCategory, Category::Service, free, v)
            }
        }
    }
}
