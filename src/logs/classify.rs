//! Reconciliation disagreements as a finance person reads them (issue "Meta's own words"): each one
//! is classed — Meta and the engine differ on the money, only on a label, or the log lacks the
//! context that decides it — and both verdicts are written side by side in words.
//!
//! "Lacks context" covers what a log cannot show and Meta's label reveals (SPEC §14): the business
//! is eligible for authentication-international (Meta says `authentication_international`, the
//! engine was not told), the number's free service messages were used up before the log starts
//! (Meta charges a service message the engine counts within the 1,000), an eligible non-profit's
//! exemption (`subtype: paid_exempt`) without the `nonprofit` option. These are reported as
//! inferences with their evidence, not as Meta's errors.

use crate::labels;
use crate::model::{Category, PricingModel, VerdictType};
use crate::pricing::{Reason, Verdict};
use serde::Serialize;

/// The class of a disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Meta and the engine differ on what is paid.
    Money,
    /// They agree on what is paid and differ only in a label.
    Label,
    /// The log lacks what decides it; Meta's label shows what (see [`Context`]).
    Context,
}

/// What the log lacks, as Meta's label shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// The business is eligible for authentication-international in this market.
    AuthenticationInternational,
    /// The number's free service messages of the month were used before the log starts.
    AllowanceUsedBefore,
    /// The business is an eligible government or non-profit body (`paid_exempt`).
    NonprofitExempt,
}

impl Class {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Money => "money",
            Class::Label => "label",
            Class::Context => "context",
        }
    }
}

impl Context {
    /// Every context, in a fixed order.
    pub const ALL: [Context; 3] = [
        Context::AuthenticationInternational,
        Context::AllowanceUsedBefore,
        Context::NonprofitExempt,
    ];

    /// The snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Context::AuthenticationInternational => "authentication_international",
            Context::AllowanceUsedBefore => "allowance_used_before",
            Context::NonprofitExempt => "nonprofit_exempt",
        }
    }

    /// The inference, in words, with the way to give the engine the context.
    pub fn inference(self) -> &'static str {
        match self {
            Context::AuthenticationInternational => "Meta prices these authentication messages at the authentication-international rate: the business is eligible for it in these markets and is located abroad. Give business.authInternational (and business.country) to price them so",
            Context::AllowanceUsedBefore => "Meta charges service messages that the log counts within the number's 1,000 free ones of the month: the allowance was used before the log starts. Give the opening state (opening.service: service messages already used per number; the least that explains them is suggested) to price them so",
            Context::NonprofitExempt => "Meta marks these service messages paid_exempt: the business is an eligible government or non-profit body. Set the nonprofit option to price them so",
        }
    }
}

/// Meta's `pricing` object as the classification reads it.
#[derive(Debug, Clone, Copy)]
pub struct Meta<'a> {
    /// `billable`.
    pub billable: Option<bool>,
    /// `pricing_model`.
    pub model: Option<&'a str>,
    /// `category`.
    pub category: Option<&'a str>,
    /// `type`.
    pub vtype: Option<&'a str>,
    /// `subtype` (`paid_exempt`).
    pub subtype: Option<&'a str>,
}

impl Meta<'_> {
    /// Whether Meta charges the message, when its object says so: per-message, `type: regular`
    /// (or `billable` without a type); conversation eras give no charge per message (`None`).
    pub fn paid(&self) -> Option<bool> {
        match (self.model, self.vtype) {
            (Some("CBP"), _) => None,
            (_, Some(t)) => Some(t == "regular"),
            (_, None) => self.billable,
        }
    }
}

/// The class of a disagreement between Meta's `pricing` object and the engine's verdict, and
/// what the log lacks when that is the class.
pub fn classify(meta: &Meta<'_>, v: &Verdict, nonprofit: bool) -> (Class, Option<Context>) {
    let meta_cat = meta.category.and_then(labels::MetaCategory::parse);
    if meta_cat.map(|c| c.category) == Some(Category::AuthenticationInternational)
        && v.category == Category::Authentication
    {
        return (Class::Context, Some(Context::AuthenticationInternational));
    }
    if meta.subtype == Some("paid_exempt") && !nonprofit && v.category == Category::Service {
        return (Class::Context, Some(Context::NonprofitExempt));
    }
    if meta.paid() == Some(true)
        && v.model == PricingModel::Pmp
        && matches!(v.reason, Reason::ServiceAllowance { .. })
    {
        return (Class::Context, Some(Context::AllowanceUsedBefore));
    }
    let engine_paid = v.charged;
    match (v.model, meta.paid()) {
        (PricingModel::Pmp, Some(paid)) if paid != engine_paid => (Class::Money, None),
        (PricingModel::Pmp, Some(_)) => {
            // Same money; a category that prices differently is still money.
            let same_rate = meta_cat.is_none_or(|c| c.category == v.category) || !engine_paid;
            if same_rate {
                (Class::Label, None)
            } else {
                (Class::Money, None)
            }
        }
        _ => {
            // Conversation eras: a conversation counted or not, or of another category, changes
            // what the month costs.
            let billable_differs = meta.billable.is_some_and(|b| b != labels::billable(v));
            let category_differs = meta_cat.is_some_and(|c| c.category != v.category);
            if billable_differs || category_differs {
                (Class::Money, None)
            } else {
                (Class::Label, None)
            }
        }
    }
}

/// A verdict in words: "charged USD 0.0107 as marketing (PMP, regular, billable)", with the type
/// as Meta writes it (`vtype`, [`labels::meta_type`]).
pub fn engine_words(v: &Verdict, currency: &str, vtype: &str) -> String {
    let what = match v.vtype {
        VerdictType::NotDelivered => "not delivered, not charged".to_string(),
        _ if v.charged => format!(
            "charged {currency} {} as {}",
            crate::money::to_string(v.amount),
            v.category.as_str().replace('_', " ")
        ),
        _ => format!("free, as {}", v.category.as_str().replace('_', " ")),
    };
    format!(
        "{what} ({}, {vtype}, {})",
        v.model.as_str(),
        if labels::billable(v) {
            "billable"
        } else {
            "not billable"
        }
    )
}

/// Meta's `pricing` object in words.
pub fn meta_words(meta: &Meta<'_>) -> String {
    let cat = meta
        .category
        .unwrap_or("no category")
        .replace(['_', '-'], " ");
    let what = match meta.paid() {
        Some(true) => format!("charged as {cat}"),
        Some(false) => format!("free, as {cat}"),
        None => format!("a {cat} conversation"),
    };
    let mut tags: Vec<String> = Vec::new();
    if let Some(m) = meta.model {
        tags.push(m.to_string());
    }
    if let Some(t) = meta.vtype {
        tags.push(t.to_string());
    }
    if let Some(s) = meta.subtype {
        tags.push(s.to_string());
    }
    match meta.billable {
        Some(true) => tags.push("billable".to_string()),
        Some(false) => tags.push("not billable".to_string()),
        None => {}
    }
    if tags.is_empty() {
        what
    } else {
        format!("{what} ({})", tags.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markets::{Phone, Resolution};
    use crate::pricing::EventKind;
    use rust_decimal::Decimal;

    fn verdict(category: Category, vtype: VerdictType, charged: bool, reason: Reason) -> Verdict {
        Verdict {
            index: 0,
            at: 0,
            local_date: crate::time::ymd(2026, 11, 20),
            user: Phone {
                value: 201001234005,
                len: 12,
            },
            from: None,
            kind: EventKind::Message,
            resolution: Resolution {
                market: 0,
                row: None,
            },
            model: PricingModel::Pmp,
            category,
            vtype,
            charged,
            amount: if charged {
                Decimal::new(36, 4)
            } else {
                Decimal::ZERO
            },
            rate: None,
            tier: None,
            conversation: None,
            reason,
        }
    }

    fn meta<'a>(billable: bool, category: &'a str, vtype: &'a str) -> Meta<'a> {
        Meta {
            billable: Some(billable),
            model: Some("PMP"),
            category: Some(category),
            vtype: Some(vtype),
            subtype: None,
        }
    }

    /// SPEC §7.4, §14 (pricing page, 2026-09-30): a service message Meta charges while the log
    /// counts it within the number's 1,000 shows an allowance used before the log starts.
    #[test]
    fn allowance_used_before_the_log() {
        let v = verdict(
            Category::Service,
            VerdictType::FreeCustomerService,
            false,
            Reason::ServiceAllowance { n: 1, of: 1000 },
        );
        let m = meta(true, "service", "regular");
        assert_eq!(
            classify(&m, &v, false),
            (Class::Context, Some(Context::AllowanceUsedBefore))
        );
        assert_eq!(
            meta_words(&m),
            "charged as service (PMP, regular, billable)"
        );
        assert_eq!(
            engine_words(&v, "USD", "free_customer_service"),
            "free, as service (PMP, free_customer_service, not billable)"
        );
    }

    /// SPEC §9, §14 (status webhook reference, 2025-11-20): Meta's authentication-international
    /// label on an authentication the engine priced as such shows eligibility the log lacks.
    #[test]
    fn authentication_international_eligibility() {
        let v = verdict(
            Category::Authentication,
            VerdictType::Regular,
            true,
            Reason::TemplateCharged,
        );
        for word in [
            "authentication_international",
            "authentication-international",
        ] {
            assert_eq!(
                classify(&meta(true, word, "regular"), &v, false),
                (Class::Context, Some(Context::AuthenticationInternational))
            );
        }
    }

    /// SPEC §15 (secondary source): `paid_exempt` without the nonprofit option is context;
    /// a charge on one side only is money; two free verdicts in different words are a label.
    #[test]
    fn money_and_labels() {
        let free = verdict(
            Category::Service,
            VerdictType::FreeCustomerService,
            false,
            Reason::NonprofitService,
        );
        let mut exempt = meta(false, "service", "free_customer_service");
        exempt.subtype = Some("paid_exempt");
        assert_eq!(
            classify(&exempt, &free, false),
            (Class::Context, Some(Context::NonprofitExempt))
        );
        let charged = verdict(
            Category::Marketing,
            VerdictType::Regular,
            true,
            Reason::TemplateCharged,
        );
        assert_eq!(
            classify(
                &meta(false, "marketing", "free_entry_point"),
                &charged,
                false
            ),
            (Class::Money, None)
        );
        let util = verdict(
            Category::Utility,
            VerdictType::FreeCustomerService,
            false,
            Reason::UtilityInWindow,
        );
        assert_eq!(
            classify(&meta(false, "utility", "free_entry_point"), &util, false),
            (Class::Label, None)
        );
    }
}
