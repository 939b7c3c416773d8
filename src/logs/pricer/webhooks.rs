//! Webhook messages: statuses merged into one business message per id, `sent`-only messages timed
//! out after `deliveryTimeout`, and the kind of a message told from Meta's category when needed.

use super::*;

pub(super) struct PendingMsg {
    pub(super) id: Box<str>,
    pub(super) gen: u32,
    pub(super) user: Phone,
    pub(super) from: Option<Phone>,
    pub(super) sent: i64,
    pub(super) delivered: i64,
    pub(super) read: i64,
    pub(super) failed: i64,
    pub(super) pricing: Option<MetaPricing>,
    pub(super) pricing_from_delivered: bool,
    pub(super) conversation: Option<u64>,
    pub(super) origin: Option<Category>,
    pub(super) line: u64,
    /// Key in the reorder buffer, or NONE when not buffered.
    pub(super) key: i64,
    /// Was priced as not delivered after `deliveryTimeout`; a later delivery withdraws that.
    pub(super) retract: bool,
    /// What the recipient is (`sink::RECIPIENT_*`).
    pub(super) recipient: u8,
}

impl PendingMsg {
    /// `(instant, status)` of the business event, once known.
    pub(super) fn resolution(&self) -> Option<(i64, Status)> {
        let d = match (self.delivered, self.read) {
            (NONE, NONE) => NONE,
            (NONE, r) => r,
            (d, NONE) => d,
            (d, r) => d.min(r),
        };
        if d != NONE {
            Some((d, Status::Delivered))
        } else if self.failed != NONE {
            Some((self.failed, Status::Failed))
        } else {
            None
        }
    }
}

/// Per-customer hints for telling templates from free-form messages in webhook logs.
#[derive(Clone, Copy)]
pub(super) struct Hint {
    pub(super) last_inbound: i64,
    pub(super) convs: [u32; 4],
}

impl Hint {
    const NEW: Hint = Hint {
        last_inbound: NONE,
        convs: [0; 4],
    };
}

impl<'a> Core<'a> {
    pub(super) fn hint(&mut self, user: u64) -> &mut Hint {
        let n = self.hint_list.len() as u32;
        let i = *self.hints.entry(user).or_insert(n);
        if i == n {
            self.hint_list.push(Hint::NEW);
        }
        &mut self.hint_list[i as usize]
    }

    /// Times out `sent`-only messages and forgets old ids.
    pub(super) fn expire(&mut self) -> Result<()> {
        let timeout = self.opts.delivery_timeout_ms;
        while let Some(&(ts, packed)) = self.sent_only.front() {
            let (slot, gen) = ((packed >> 32) as u32, packed as u32);
            if ts.saturating_add(timeout) > self.watermark {
                break;
            }
            self.sent_only.pop_front();
            let still = matches!(&self.slab[slot as usize], Some(m) if m.gen == gen && m.key == NONE && m.resolution().is_none());
            if still {
                let m = self.take_msg(slot);
                self.input.timed_out += 1;
                self.remember(&m.id, true);
                self.price_undelivered(&m)?;
            }
        }
        while let Some(&(ts, h)) = self.released_fifo.front() {
            if ts.saturating_add(timeout) > self.watermark {
                break;
            }
            self.released_fifo.pop_front();
            self.released.remove(&h);
        }
        Ok(())
    }

    pub(super) fn remember(&mut self, id: &str, sent_only: bool) {
        let h = id_hash(id);
        self.released.insert(h, u32::from(sent_only));
        self.released_fifo.push_back((self.watermark, h));
    }

    /// Prices a message that never got a delivery status as sent only (not delivered), or counts
    /// it as a read without a message when not even its `sent` status came.
    pub(super) fn price_undelivered(&mut self, m: &PendingMsg) -> Result<()> {
        if m.sent == NONE {
            self.input.reads_without_message += 1;
            return Ok(());
        }
        let kind = self.kind_of(m, false).0;
        let e = crate::pricing::Event {
            at: m.sent,
            user: m.user,
            kind,
            from: m.from,
            status: Status::Sent,
        };
        self.price(e, m.line, None)
    }

    pub(super) fn take_msg(&mut self, slot: u32) -> PendingMsg {
        // cannot fail: slots come from by_id and the queues, which hold only live messages.
        let m = self.slab[slot as usize].take().expect("live slot");
        self.by_id.remove(&id_hash(&m.id));
        self.free.push(slot);
        self.pending -= 1;
        m
    }

    /// What a webhook message was: from the template map, else from Meta's category (with the
    /// rules of `docs/logs.md` where the category does not say). `(kind, assumed)`.
    pub(super) fn kind_of(&mut self, m: &PendingMsg, delivered: bool) -> (EventKind, bool) {
        if let Some(k) = self.template(&m.id) {
            return (k.event_kind(), false);
        }
        let pricing_cat = m.pricing.as_ref().and_then(MetaPricing::category);
        let category = pricing_cat.or(m.origin);
        let cbp = m.pricing.as_ref().and_then(MetaPricing::model) == Some(PricingModel::Cbp);
        let hint = self
            .hints
            .get(&m.user.value)
            .map_or(Hint::NEW, |&i| self.hint_list[i as usize]);
        let at = m.resolution().map_or(m.sent, |r| r.0);
        let csw_open = hint.last_inbound != NONE && at < hint.last_inbound + DAY_MS;
        let template = |c: Category| match c {
            Category::Marketing => Some(TemplateCategory::Marketing),
            Category::Utility => Some(TemplateCategory::Utility),
            Category::Authentication | Category::AuthenticationInternational => {
                Some(TemplateCategory::Authentication)
            }
            _ => None,
        };
        let guess = || {
            if csw_open {
                EventKind::Message
            } else {
                EventKind::Template(TemplateCategory::Marketing)
            }
        };
        // Meta's `marketing_lite`: a Marketing Messages API message, priced by the kernel's rule
        // for it (SPEC §15).
        if m.pricing
            .as_ref()
            .and_then(MetaPricing::words)
            .is_some_and(|w| w.lite)
        {
            return (EventKind::MarketingLite, false);
        }
        let out = match category {
            Some(Category::Service) => (EventKind::Message, false),
            Some(c) => match template(c) {
                Some(tc) if cbp => {
                    // Conversation era: the first message of a conversation opened it (a template
                    // of its category); later ones ride in it and may be free-form.
                    let conv = m.conversation.map(|h| (h as u32) | 1);
                    let rider = conv.is_some_and(|c| hint.convs.contains(&c));
                    if let Some(c) = conv {
                        let h = self.hint(m.user.value);
                        if !h.convs.contains(&c) {
                            h.convs.rotate_right(1);
                            h.convs[0] = c;
                        }
                    }
                    if rider && csw_open {
                        (EventKind::Message, true)
                    } else {
                        (EventKind::Template(tc), false)
                    }
                }
                Some(tc) => (EventKind::Template(tc), false),
                None => (guess(), true),
            },
            None => (guess(), true),
        };
        (out.0, out.1 && delivered)
    }

    /// A webhook status (the `Sink` method; see [`Sink::status`]).
    pub(super) fn status_item(&mut self, s: StatusItem<'_>, line: u64) -> Result<()> {
        self.input.statuses += 1;
        self.events += 1;
        if self.base.is_none() {
            return Ok(());
        }
        let mut retract = false;
        if !self.released.is_empty() {
            let h = id_hash(s.id);
            if let Some(&sent_only) = self.released.get(&h) {
                if sent_only == 1 && matches!(s.status, WStatus::Delivered | WStatus::Read) {
                    self.released.remove(&h);
                    self.input.late_deliveries += 1;
                    retract = true;
                } else {
                    self.input.statuses_after_priced += 1;
                    self.watermark = self.watermark.max(s.at);
                    return self.release_ready();
                }
            }
        }
        let key = id_hash(s.id);
        let slot = match self.by_id.get(&key) {
            Some(&slot) => slot,
            None => {
                if s.at < self.frontier && s.status != WStatus::Sent {
                    return self.late(line, s.at);
                }
                let slot = match self.free.pop() {
                    Some(i) => i,
                    None => {
                        self.slab.push(None);
                        (self.slab.len() - 1) as u32
                    }
                };
                self.next_gen = self.next_gen.wrapping_add(1);
                self.slab[slot as usize] = Some(PendingMsg {
                    id: s.id.into(),
                    gen: self.next_gen,
                    user: s.user,
                    from: s.from,
                    sent: NONE,
                    delivered: NONE,
                    read: NONE,
                    failed: NONE,
                    pricing: None,
                    pricing_from_delivered: false,
                    conversation: None,
                    origin: None,
                    line,
                    key: NONE,
                    retract,
                    recipient: s.recipient,
                });
                self.by_id.insert(key, slot);
                self.pending += 1;
                let p = self.pending as u64;
                if p > self.input.peak_pending {
                    self.input.peak_pending = p;
                    check_pending(self.pending, line)?;
                }
                self.sent_only
                    .push_back((s.at, (u64::from(slot) << 32) | u64::from(self.next_gen)));
                slot
            }
        };
        let frontier = self.frontier;
        let (old_key, new_key) = {
            // cannot fail: the slot was just found in by_id, or allocated and filled above.
            let m = self.slab[slot as usize].as_mut().expect("live slot");
            let first = |t: &mut i64, at: i64| {
                if *t == NONE || at < *t {
                    *t = at;
                }
            };
            match s.status {
                WStatus::Sent => first(&mut m.sent, s.at),
                WStatus::Delivered => first(&mut m.delivered, s.at),
                WStatus::Read => first(&mut m.read, s.at),
                WStatus::Failed => first(&mut m.failed, s.at),
            }
            if let Some(p) = s.pricing {
                let delivered = s.status == WStatus::Delivered;
                if m.pricing.is_none() || (delivered && !m.pricing_from_delivered) {
                    m.pricing = Some(p);
                    m.pricing_from_delivered = delivered;
                }
            }
            if m.conversation.is_none() {
                m.conversation = s.conversation.map(id_hash);
            }
            if m.origin.is_none() {
                m.origin = s.origin.and_then(Category::parse);
            }
            if m.from.is_none() {
                m.from = s.from;
            }
            m.recipient |= s.recipient;
            let old = m.key;
            let new = m.resolution().map_or(NONE, |(at, _)| at.max(frontier));
            m.key = new;
            (old, new)
        };
        if new_key != old_key {
            if old_key != NONE {
                if let Some(i) = self
                    .buffer
                    .iter()
                    .rposition(|b| matches!(b.held, Held::Msg(x) if x == slot))
                {
                    self.buffer.remove(i);
                }
            }
            if new_key != NONE {
                self.hold(new_key, line, Held::Msg(slot))?;
            }
        }
        self.watermark = self.watermark.max(s.at);
        self.release_ready()
    }
}

/// An error past [`MAX_PENDING`] webhook messages waiting for their statuses (`pending`, the one
/// of `line` included).
fn check_pending(pending: usize, line: u64) -> Result<()> {
    if pending > MAX_PENDING {
        return Err(Error::coded_at(
            ErrorCode::LimitExceeded,
            "log_webhook_pending_full",
            "",
            log_line(line),
            format!("more than {MAX_PENDING} webhook messages wait for their statuses: lower deliveryTimeout"),
        )
        .with("limit", crate::messages::Value::Count(MAX_PENDING as u64)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four million waiting messages are too many to build in a test: the check itself.
    #[test]
    fn too_many_pending_messages() {
        assert!(check_pending(MAX_PENDING, 9).is_ok());
        let e = check_pending(MAX_PENDING + 1, 9).unwrap_err();
        assert_eq!(e.reason(), "log_webhook_pending_full");
        assert_eq!(crate::reasons::check(&e), Ok(()));
        assert_eq!(e.loc.map(|l| l.line), Some(9));
    }
}
