//! Meta's own words (SPEC §14, §15): the `pricing` object of status webhooks, era by era.
//!
//! The simulator's verdicts already use Meta's `pricing_model`, `category` and `type` from
//! 2025-07-01 (SPEC §13.7). This module holds what a verdict needs besides to be compared with a
//! webhook's `pricing` object: Meta's `billable` flag, and the reading of Meta's category words
//! that the verdicts do not use themselves (`marketing_lite`, the group categories, the hyphenated
//! spelling of `authentication-international`).

use crate::model::{Category, PricingModel, VerdictType};
use crate::pricing::Verdict;

/// Meta's `pricing.billable` for a verdict (SPEC §14).
///
/// - Per-message eras (`PMP`): true exactly when the message is charged.
/// - Conversation eras (`CBP`, including a utility conversation carried over 2025-07-01): true
///   for every delivered message of a conversation — the one that opened it and the ones riding
///   in it, free-tier and free service conversations included — and false only inside a
///   free-entry-point conversation. It says "counted as a conversation", not "charged".
/// - Not delivered: false (Meta sends no `pricing` object for it).
pub fn billable(v: &Verdict) -> bool {
    match (v.model, v.vtype) {
        (_, VerdictType::NotDelivered) => false,
        (PricingModel::Pmp, _) => v.charged,
        (PricingModel::Cbp, VerdictType::FreeEntryPoint) => false,
        (PricingModel::Cbp, _) => v.category != Category::ReferralConversion,
    }
}

/// What a Meta `pricing.category` (or `conversation.origin.type`) says about the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetaCategory {
    /// The rate-card category it is priced at (`marketing_lite` and `group_marketing` are
    /// marketing, `group_service` is service, …).
    pub category: Category,
    /// Sent with the Marketing Messages API (`marketing_lite`, SPEC §15).
    pub lite: bool,
    /// A group message (`group_marketing`, `group_utility`, `group_service`, SPEC §15).
    pub group: bool,
}

impl MetaCategory {
    /// Reads one of Meta's category words; `None` for a word Meta does not use.
    pub fn parse(word: &str) -> Option<MetaCategory> {
        let plain = |category| MetaCategory {
            category,
            lite: false,
            group: false,
        };
        Some(match word {
            "marketing_lite" => MetaCategory {
                lite: true,
                ..plain(Category::Marketing)
            },
            // SPEC §14: spelled with a hyphen once in Meta's reference.
            "authentication-international" => plain(Category::AuthenticationInternational),
            "group_marketing" => MetaCategory {
                group: true,
                ..plain(Category::Marketing)
            },
            "group_utility" => MetaCategory {
                group: true,
                ..plain(Category::Utility)
            },
            "group_service" => MetaCategory {
                group: true,
                ..plain(Category::Service)
            },
            other => plain(Category::parse(other)?),
        })
    }
}

/// Meta's `pricing.category` for a verdict on a message of the given kind (SPEC §14, §15): the
/// verdict's category, as `marketing_lite` for the Marketing Messages API and as
/// `group_<category>` for a group message. Entry-point messages stay `referral_conversion`.
pub fn meta_category(v: &Verdict, lite: bool, group: bool) -> &'static str {
    match (v.category, lite, group) {
        (Category::Marketing, true, _) => "marketing_lite",
        (Category::Marketing, _, true) => "group_marketing",
        (Category::Utility, _, true) => "group_utility",
        (Category::Service, _, true) => "group_service",
        (c, _, _) => c.as_str(),
    }
}

/// Meta's `pricing.type` for a verdict (SPEC §14, §15): the verdict's type, except that a free
/// group message is `free_group_customer_service`.
pub fn meta_type(v: &Verdict, group: bool) -> &'static str {
    match (v.vtype, group) {
        (VerdictType::FreeCustomerService, true) => "free_group_customer_service",
        (t, _) => t.as_str(),
    }
}

/// Whether two of Meta's category words name the same outcome (`authentication-international`
/// and `authentication_international`).
pub fn same_category(meta: &str, engine: &str) -> bool {
    meta == engine
        || (meta == "authentication-international" && engine == "authentication_international")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markets::{Phone, Resolution};
    use crate::pricing::{EventKind, Reason, Status};
    use rust_decimal::Decimal;

    fn verdict(
        model: PricingModel,
        category: Category,
        vtype: VerdictType,
        charged: bool,
    ) -> Verdict {
        Verdict {
            index: 0,
            at: 0,
            local_date: crate::time::ymd(2024, 3, 1),
            user: Phone {
                value: 919812345678,
                len: 12,
            },
            from: None,
            kind: EventKind::Message,
            resolution: Resolution {
                market: 0,
                row: None,
            },
            model,
            category,
            vtype,
            charged,
            amount: if charged { Decimal::ONE } else { Decimal::ZERO },
            rate: None,
            tier: None,
            conversation: None,
            reason: Reason::NotDelivered(Status::Failed),
        }
    }

    /// SPEC §14 (status webhook reference, copies of 2025-11-20 and 2026-09-14; payloads captured
    /// 2023-02, 2023-04 and 2025-06): in the conversation eras every message of a conversation is
    /// billable, free-tier and free service conversations included; entry-point ones are not.
    #[test]
    fn billable_in_conversation_eras() {
        use Category::*;
        use VerdictType::*;
        let cbp = PricingModel::Cbp;
        assert!(billable(&verdict(cbp, UserInitiated, FreeTier, false)));
        assert!(billable(&verdict(cbp, Service, FreeCustomerService, false)));
        assert!(billable(&verdict(cbp, Marketing, Regular, true)));
        assert!(billable(&verdict(cbp, Marketing, Regular, false)));
        assert!(!billable(&verdict(
            cbp,
            ReferralConversion,
            FreeEntryPoint,
            false
        )));
        assert!(!billable(&verdict(cbp, Utility, NotDelivered, false)));
    }

    /// SPEC §14 (Meta's pricing page, updated 2026-07-01; payloads captured 2025-08, 2025-09):
    /// per-message `billable` is true exactly for charged messages.
    #[test]
    fn billable_per_message() {
        use Category::*;
        use VerdictType::*;
        let pmp = PricingModel::Pmp;
        assert!(billable(&verdict(pmp, Marketing, Regular, true)));
        assert!(!billable(&verdict(
            pmp,
            Utility,
            FreeCustomerService,
            false
        )));
        assert!(!billable(&verdict(
            pmp,
            Service,
            FreeCustomerService,
            false
        )));
        assert!(!billable(&verdict(
            pmp,
            ReferralConversion,
            FreeEntryPoint,
            false
        )));
    }

    /// SPEC §14, §15 (Groups API pricing page, updated 2025-10-22; status webhook reference
    /// 2025-11-20): Meta's category words.
    #[test]
    fn meta_category_words() {
        let g = MetaCategory::parse("group_marketing").unwrap_or(MetaCategory {
            category: Category::Service,
            lite: false,
            group: false,
        });
        assert_eq!(
            (g.category, g.group, g.lite),
            (Category::Marketing, true, false)
        );
        assert_eq!(
            MetaCategory::parse("marketing_lite").map(|c| (c.category, c.lite)),
            Some((Category::Marketing, true))
        );
        assert_eq!(
            MetaCategory::parse("authentication-international").map(|c| c.category),
            Some(Category::AuthenticationInternational)
        );
        assert_eq!(
            MetaCategory::parse("group_service").map(|c| c.category),
            Some(Category::Service)
        );
        assert_eq!(MetaCategory::parse("promotional"), None);
        let v = verdict(
            PricingModel::Pmp,
            Category::Service,
            VerdictType::FreeCustomerService,
            false,
        );
        assert_eq!(meta_category(&v, false, true), "group_service");
        assert_eq!(meta_type(&v, true), "free_group_customer_service");
        assert_eq!(meta_type(&v, false), "free_customer_service");
        let m = verdict(
            PricingModel::Pmp,
            Category::Marketing,
            VerdictType::Regular,
            true,
        );
        assert_eq!(meta_category(&m, true, false), "marketing_lite");
        assert!(same_category(
            "authentication-international",
            "authentication_international"
        ));
    }
}
