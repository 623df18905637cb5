//! Who joins the race beside a racing size: the finalists' and the leader's neighbours once the
//! race has narrowed, and the result's pick's untried neighbours before any verdict.

use super::{AdaptivePolicy, Role, pace};
use crate::sampling::{
    Progress,
    objective::{first_viable, usable},
};

impl AdaptivePolicy {
    /// Brings the neighbours of the race's finalists in: the leader's, whether never measured
    /// or screened out on the model's word, and the other finalists' untried ones. Only once
    /// drops and halving have narrowed the race (while many sizes race, each change of leader
    /// would bring two more in and the race would never narrow), and before any verdict, so
    /// that no pick is certified next to a size nobody tried; and only while the race's time
    /// holds no size back and a join's calls would end within it.
    pub(super) fn widen(&mut self, progress: &Progress<'_>, leader: usize, budget: pace::Budget) {
        let racing = self.racing();
        if racing.len() > self.config.halving_floor + 1 || self.pace.any_held() {
            return;
        }
        let leader_memory = progress.sizes[leader].memory;
        // The leader's neighbours, measured or not; every finalist's untried ones (a sharp
        // minimum, such as a working set's knee, lies next to a finalist the model missed by
        // one size).
        let mut joining: Vec<(usize, usize)> = Vec::new();
        for &r in &racing {
            for neighbour in [r.wrapping_sub(1), r + 1] {
                let open = match self.roles.get(neighbour) {
                    Some(Role::Unmeasured) => true,
                    Some(Role::Screened) => r == leader,
                    _ => false,
                };
                if open && !joining.iter().any(|j| j.0 == neighbour) {
                    joining.push((neighbour, r));
                }
            }
        }
        for (neighbour, of) in joining {
            if self.may_join_beside(progress, neighbour, of, budget) {
                let why = if of == leader {
                    format!("next to the leader, {leader_memory}")
                } else {
                    format!("next to a finalist, {}", progress.sizes[of].memory)
                };
                self.set_role(progress, neighbour, Role::Racing, why);
            }
        }
    }

    /// Whether size `neighbour` may join the race beside racing size `of`: it can be measured
    /// and lies above where the function fails; the calls it needs to compare (as long as
    /// `of`'s) would end within the race's time, as each join could bring another, past the time
    /// promised; and the run may publish one more size, when it has never been measured.
    fn may_join_beside(
        &self,
        progress: &Progress<'_>,
        neighbour: usize,
        of: usize,
        budget: pace::Budget,
    ) -> bool {
        progress.sizes.get(neighbour).is_some_and(|s| usable(s))
            && neighbour >= first_viable(progress.sizes)
            && budget.fits_like(progress, of, self.config.min_race_calls)
            && (self.roles[neighbour] != Role::Unmeasured || self.publish_room(progress) > 0)
    }

    /// Before a verdict, the untried neighbours of the size the result would recommend join,
    /// however many sizes race (`widen` waits for three): a pick next to a size nobody tried
    /// may lie one size from the best, at a knee no model fits (a working set's, below which
    /// the function slows), and the race may reach its verdict on the size that led when more
    /// raced. Only as [`Self::may_join_beside`] allows. Returns whether any joined.
    pub(super) fn try_the_picks_neighbours(
        &mut self,
        progress: &Progress<'_>,
        pick: usize,
        budget: pace::Budget,
    ) -> bool {
        let mut joined = false;
        for neighbour in [pick.wrapping_sub(1), pick + 1] {
            if self.roles.get(neighbour) == Some(&Role::Unmeasured)
                && self.may_join_beside(progress, neighbour, pick, budget)
            {
                let why = format!("next to the result's pick, {}", progress.sizes[pick].memory);
                self.set_role(progress, neighbour, Role::Racing, why);
                joined = true;
            }
        }
        joined
    }
}
