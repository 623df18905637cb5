//! The original tool's schedule as a sampling policy.

use super::{Decision, Progress, Request, SamplingPolicy};

/// The original tool's schedule: every size of `powerValues`, `num` invocations each, requested
/// at once, so sizes are published in ascending order and each is invoked as soon as it is
/// ready.
#[derive(Debug, Clone, Default)]
pub struct GridPolicy {
    requested: bool,
}

impl SamplingPolicy for GridPolicy {
    fn decide(&mut self, progress: &Progress<'_>) -> Decision {
        if std::mem::replace(&mut self.requested, true) {
            return Decision::default();
        }
        Decision {
            requests: progress
                .sizes
                .iter()
                .map(|s| Request {
                    memory: s.memory,
                    invocations: progress.max_per_size,
                })
                .collect(),
            no_more_sizes: true,
            notes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        memory::MemoryMb,
        pricing::{Architecture, Price},
        sampling::{SizeStatus, SizeView},
    };

    #[test]
    fn grid_requests_every_size_num_times_once() {
        let views: Vec<SizeView<'_>> = [128, 512, 1024]
            .into_iter()
            .map(|m| SizeView {
                memory: MemoryMb::new(m).unwrap(),
                status: SizeStatus::Untouched,
                samples: &[],
                requested: 0,
                in_flight: 0,
            })
            .collect();
        let progress = Progress {
            sizes: &views,
            max_per_size: 7,
            price: Price::for_function("us-east-1", Architecture::X86_64),
            ephemeral_mb: 512,
        };
        let mut grid = GridPolicy::default();
        let first = grid.decide(&progress);
        assert!(first.no_more_sizes);
        assert_eq!(
            first
                .requests
                .iter()
                .map(|r| (r.memory.get(), r.invocations))
                .collect::<Vec<_>>(),
            [(128, 7), (512, 7), (1024, 7)]
        );
        assert_eq!(grid.decide(&progress), Decision::default());
    }
}
