//! Every function of a region, over `ListFunctions`' pages.

use super::{FunctionSummary, LambdaApi, LambdaError};

/// The most pages read: 50 functions a page makes 10,000 functions, far past any list a person
/// picks from; a service that repeats its marker forever stops here too.
const MAX_PAGES: usize = 200;

/// The functions of `region`, every page, in the order the service lists them.
///
/// # Errors
/// The first failed page's error; the pages before it are dropped, since a partial list would
/// look complete.
pub async fn list_all_functions<A: LambdaApi>(
    api: &A,
    region: &str,
) -> Result<Vec<FunctionSummary>, LambdaError> {
    let mut functions = Vec::new();
    let mut marker = None::<String>;
    for _ in 0..MAX_PAGES {
        let page = api.list_functions(region, marker.as_deref()).await?;
        functions.extend(page.functions);
        match page.next_marker {
            Some(next) if marker.as_deref() != Some(next.as_str()) => marker = Some(next),
            _ => break,
        }
    }
    Ok(functions)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::{
        FunctionArn,
        api::{
            FunctionPage,
            intercept::{Intercepted, Overrides},
        },
        clock::ManualClock,
        pricing::Architecture,
        sim::{Faults, SimLambda},
    };

    /// Three pages of one function each, then the end; or a marker that never changes.
    struct Paged {
        calls: Cell<u32>,
        stuck: bool,
        fail_at: Option<u32>,
    }

    impl Overrides for Paged {
        async fn list_functions<A: LambdaApi>(
            &self,
            _inner: &A,
            region: &str,
            marker: Option<&str>,
        ) -> Result<FunctionPage, LambdaError> {
            let n = self.calls.get();
            self.calls.set(n + 1);
            if self.fail_at == Some(n) {
                return Err(LambdaError::Throttled {
                    message: "slow down".into(),
                });
            }
            let expected = (n > 0).then(|| format!("m{}", if self.stuck { 1 } else { n }));
            assert_eq!(marker, expected.as_deref());
            let arn = format!("arn:aws:lambda:{region}:123456789012:function:f{n}");
            Ok(FunctionPage {
                functions: vec![FunctionSummary {
                    arn: arn.parse::<FunctionArn>().unwrap(),
                    memory: 128,
                    runtime: String::new(),
                    architecture: Architecture::X86_64,
                }],
                next_marker: (self.stuck || n < 2)
                    .then(|| format!("m{}", if self.stuck { 1 } else { n + 1 })),
            })
        }
    }

    fn listing(stuck: bool, fail_at: Option<u32>) -> Result<Vec<FunctionSummary>, LambdaError> {
        let sim = SimLambda::demo(ManualClock::default(), 1, Faults::default());
        let api = Intercepted {
            inner: &sim,
            overrides: Paged {
                calls: Cell::new(0),
                stuck,
                fail_at,
            },
        };
        futures::executor::block_on(list_all_functions(&api, "eu-west-1"))
    }

    #[test]
    fn reads_every_page_in_order() {
        let all = listing(false, None).unwrap();
        let names: Vec<&str> = all.iter().map(|f| f.arn.name()).collect();
        assert_eq!(names, ["f0", "f1", "f2"]);
    }

    #[test]
    fn a_repeated_marker_ends_the_listing() {
        let all = listing(true, None).unwrap();
        assert_eq!(
            all.len(),
            2,
            "the page after the repeated marker is not read again"
        );
    }

    #[test]
    fn a_failed_page_fails_the_listing() {
        let err = listing(false, Some(1)).unwrap_err();
        assert!(matches!(err, LambdaError::Throttled { .. }), "{err:?}");
    }

    #[test]
    fn the_demo_account_lists_its_sample_functions() {
        let sim = SimLambda::demo(ManualClock::default(), 1, Faults::default());
        let all = futures::executor::block_on(list_all_functions(&sim, "us-east-1")).unwrap();
        assert_eq!(all.len(), crate::sim::sample_functions("us-east-1").len());
    }
}
