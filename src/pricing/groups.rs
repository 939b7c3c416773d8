//! Group messages (SPEC §15), after Meta's Groups API pricing page (updated 2025-10-22, and the
//! copy of 2026-05-21): a group message is charged per participant it is delivered to, at that
//! participant's market, so each delivery is priced as a message to that participant by the rules
//! of a message to one customer; "when any WhatsApp user in the group messages you, a customer
//! service window is opened between you and the entire group". This module is the one home of
//! that window rule: the simulator's input (`crate::input`) and the webhook reader
//! (`crate::logs`) both turn a message written in a group into one customer message per
//! participant through [`Groups`].

use crate::markets::Phone;

/// Participants of a group at most (Groups API page, 2026-06-16: a group has at most 8).
pub const MAX_PARTICIPANTS: usize = 8;

/// The participants of each group, by group id, the most recent last.
#[derive(Debug, Default)]
pub struct Groups {
    members: Members,
}

/// Group ids to participants: a hash map where logs may hold many groups; in the calculator's
/// wasm, built for size (its budget), a list searched in order (a timeline names few groups).
#[cfg(any(not(target_arch = "wasm32"), feature = "logs-wasm"))]
type Members = rustc_hash::FxHashMap<Box<str>, Vec<Phone>>;
#[cfg(not(any(not(target_arch = "wasm32"), feature = "logs-wasm")))]
type Members = Vec<(Box<str>, Vec<Phone>)>;

#[cfg(any(not(target_arch = "wasm32"), feature = "logs-wasm"))]
fn members_of<'m>(m: &'m mut Members, group: &str) -> &'m mut Vec<Phone> {
    if !m.contains_key(group) {
        m.insert(group.into(), Vec::new());
    }
    // cannot fail: the group was inserted just above if it was missing.
    m.get_mut(group).expect("the group is present")
}

#[cfg(not(any(not(target_arch = "wasm32"), feature = "logs-wasm")))]
fn members_of<'m>(m: &'m mut Members, group: &str) -> &'m mut Vec<Phone> {
    let i = match m.iter().position(|(g, _)| **g == *group) {
        Some(i) => i,
        None => {
            m.push((group.into(), Vec::new()));
            m.len() - 1
        }
    };
    &mut m[i].1
}

#[cfg(any(not(target_arch = "wasm32"), feature = "logs-wasm"))]
fn find<'m>(m: &'m Members, group: &str) -> Option<&'m Vec<Phone>> {
    m.get(group)
}

#[cfg(not(any(not(target_arch = "wasm32"), feature = "logs-wasm")))]
fn find<'m>(m: &'m Members, group: &str) -> Option<&'m Vec<Phone>> {
    m.iter().find(|(g, _)| **g == *group).map(|(_, l)| l)
}

impl Groups {
    /// Notes `p` as a participant of `group` (as its most recent). Returns `true` when the group
    /// then had more than [`MAX_PARTICIPANTS`]: its least recent participant is dropped.
    pub fn saw(&mut self, group: &str, p: Phone) -> bool {
        let list = members_of(&mut self.members, group);
        let mut over = false;
        if let Some(i) = list.iter().position(|q| *q == p) {
            list.remove(i);
        } else if list.len() == MAX_PARTICIPANTS {
            list.remove(0);
            over = true;
        }
        list.push(p);
        over
    }

    /// The participants of `group` other than `writer`: a message `writer` writes in the group
    /// opens their customer-service windows with the writer's (Groups API pricing page,
    /// 2025-10-22).
    pub fn others(&self, group: &str, writer: Phone) -> impl Iterator<Item = Phone> + '_ {
        find(&self.members, group)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |p| *p != writer)
    }
}
