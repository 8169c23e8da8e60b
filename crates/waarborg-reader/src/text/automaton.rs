//! One Aho-Corasick DFA stepped a byte at a time: the loop of the whole-text literal scans that
//! feed their bytes themselves (the facts' phrase scan, the problems' literal pass, which reads
//! white space squeezed). Overlapping, standard semantics, no prefilter.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, PatternID};

/// Where a scan is in its automaton.
pub struct Stepper<'d> {
    dfa: &'d DFA,
    sid: StateID,
}

impl<'d> Stepper<'d> {
    /// A scan at the start of `dfa` (an unanchored automaton); `None` when it has no unanchored
    /// start.
    #[must_use]
    pub fn new(dfa: &'d DFA) -> Option<Self> {
        let sid = dfa.start_state(Anchored::No).ok()?;
        Some(Self { dfa, sid })
    }

    /// Feeds one byte and calls `each(pattern, length)` for every pattern that ends with it.
    /// Returns `false` when the automaton is dead (nothing can match any more).
    #[inline]
    pub fn step(&mut self, byte: u8, mut each: impl FnMut(PatternID, usize)) -> bool {
        let dfa = self.dfa;
        self.sid = dfa.next_state(Anchored::No, self.sid, byte);
        if !dfa.is_special(self.sid) {
            return true;
        }
        if dfa.is_dead(self.sid) {
            return false;
        }
        if dfa.is_match(self.sid) {
            for k in 0..dfa.match_len(self.sid) {
                let pid = dfa.match_pattern(self.sid, k);
                each(pid, dfa.pattern_len(pid));
            }
        }
        true
    }
}
