//! Retrying transient Lambda errors with backoff, and waiting for updates and versions: the
//! engine's only loops over time.

use std::{cell::RefCell, time::Duration};

use super::{Event, Phase, RunError};
use crate::{
    api::{Clock, FunctionConfig, FunctionState, LambdaApi, LambdaError, UpdateStatus},
    arn::FunctionArn,
    cancel::CancelToken,
};

/// Tries of one request before a transient error is given up on.
pub const MAX_API_ATTEMPTS: u32 = 8;

/// "Full jitter" exponential backoff: before retry `attempt` (1, 2, …), a random wait between half
/// of and all of 100 ms × 2^attempt, at most 10 s (AWS's architecture blog, "Exponential Backoff
/// And Jitter", 2015, with a floor of half the cap so a retry never comes at once).
pub fn backoff_delay(attempt: u32, unit_random: f64) -> Duration {
    let cap = (100.0 * 2f64.powi(attempt.min(30) as i32)).min(10_000.0);
    Duration::from_millis((cap * (0.5 + unit_random.clamp(0.0, 1.0) * 0.5)) as u64)
}

/// Calls requests again on transient errors (throttling, conflicts, network, 5xx), up to
/// [`MAX_API_ATTEMPTS`] tries with [`backoff_delay`]; reports throttling as an event.
pub struct Retrier<'a, C> {
    clock: &'a C,
    rng: RefCell<fastrand::Rng>,
    on_event: &'a dyn Fn(Event),
}

impl<'a, C: Clock> Retrier<'a, C> {
    /// A retrier whose jitter is drawn from `seed`.
    pub fn new(clock: &'a C, seed: u64, on_event: &'a dyn Fn(Event)) -> Self {
        Self {
            clock,
            rng: RefCell::new(fastrand::Rng::with_seed(seed)),
            on_event,
        }
    }

    /// The clock it waits on.
    pub fn clock(&self) -> &'a C {
        self.clock
    }

    /// Calls `op` until it succeeds, fails with a lasting error, or has been tried
    /// [`MAX_API_ATTEMPTS`] times.
    pub async fn call<T, F, Fut>(&self, mut op: F) -> Result<T, LambdaError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, LambdaError>>,
    {
        let mut attempt = 0;
        loop {
            match op().await {
                Ok(value) => return Ok(value),
                Err(e) if e.is_transient() && attempt + 1 < MAX_API_ATTEMPTS => {
                    attempt += 1;
                    let delay = backoff_delay(attempt, self.rng.borrow_mut().f64());
                    if matches!(e, LambdaError::Throttled { .. }) {
                        (self.on_event)(Event::Throttled { delay });
                    }
                    self.clock.sleep(delay).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// The waits between polls of an update: 100 ms for the first 3 s (most updates finish within
/// about a second, and every publish waits here, so this is the run's critical path; 10 requests
/// a second is well within GetFunctionConfiguration's quota), then growing by half up to 2 s.
pub fn update_poll_delay(previous: Duration, waited: Duration) -> Duration {
    if waited <= Duration::from_secs(3) {
        Duration::from_millis(100)
    } else {
        previous.mul_f64(1.5).min(Duration::from_secs(2))
    }
}

/// The waits between polls of a version becoming active: 250 ms, growing by half up to 5 s
/// (SnapStart versions take minutes).
pub fn activation_poll_delay(previous: Option<Duration>) -> Duration {
    previous.map_or(Duration::from_millis(250), |d| {
        d.mul_f64(1.5).min(Duration::from_secs(5))
    })
}

fn elapsed<C: Clock>(clock: &C, started: f64) -> Duration {
    Duration::from_secs_f64(((clock.now_ms() - started) / 1000.0).max(0.0))
}

/// Waits until `$LATEST` of `function` has no update in progress; returns its configuration.
/// `phase` names the step in errors.
///
/// # Errors
/// The update failed, did not finish within `limit`, or a request failed.
pub async fn wait_updated<A: LambdaApi, C: Clock>(
    api: &A,
    clock: &C,
    function: &FunctionArn,
    limit: Duration,
    phase: Phase,
) -> Result<FunctionConfig, RunError> {
    let started = clock.now_ms();
    let mut delay = Duration::ZERO;
    let mut transient_errors = 0;
    loop {
        match api.get_function_configuration(function, None).await {
            Ok(config) => match &config.last_update_status {
                UpdateStatus::Successful => return Ok(config),
                UpdateStatus::Failed(reason) => {
                    return Err(RunError::UpdateFailed {
                        phase,
                        function: function.name().to_owned(),
                        reason: reason.clone(),
                    });
                }
                UpdateStatus::InProgress => {}
            },
            Err(e) if e.is_transient() && transient_errors < MAX_API_ATTEMPTS => {
                transient_errors += 1;
            }
            Err(e) => return Err(e.in_phase(phase)),
        }
        let waited = elapsed(clock, started);
        if waited > limit {
            return Err(RunError::Stuck {
                phase,
                what: format!("the configuration update of {}", function.name()),
                waited: limit,
            });
        }
        delay = update_poll_delay(delay, waited);
        clock.sleep(delay).await;
    }
}

/// Waits until the version behind `alias` is active (or inactive, which an invocation wakes).
///
/// # Errors
/// The version failed, did not become active within `limit`, or a request failed.
pub async fn wait_active<A: LambdaApi, C: Clock>(
    api: &A,
    retrier: &Retrier<'_, C>,
    function: &FunctionArn,
    alias: &str,
    limit: Duration,
) -> Result<(), RunError> {
    let awaited = Activation {
        function,
        qualifier: Some(alias),
        phase: Phase::Tuning,
        what: format!("the version behind {alias}"),
    };
    until_active(api, retrier, awaited, limit, None, |reason| {
        RunError::VersionFailed {
            alias: alias.to_owned(),
            reason,
        }
    })
    .await
    .map(|_| ())
}

/// What [`until_active`] waits for.
pub struct Activation<'a> {
    /// The function.
    pub function: &'a FunctionArn,
    /// A version or alias; `None` for `$LATEST`.
    pub qualifier: Option<&'a str>,
    /// The run's step, for errors.
    pub phase: Phase,
    /// What is awaited, in words ("the version behind RAM512").
    pub what: String,
}

/// Polls until `awaited` is active (or inactive, which an invocation wakes), at most `limit`;
/// returns its configuration. `failed` makes a `State: Failed` reason the run's error; `cancel`,
/// when given, stops the wait.
///
/// # Errors
/// It failed, did not become active within `limit`, a request failed, or it was cancelled.
pub async fn until_active<A: LambdaApi, C: Clock>(
    api: &A,
    retrier: &Retrier<'_, C>,
    awaited: Activation<'_>,
    limit: Duration,
    cancel: Option<&CancelToken>,
    failed: impl FnOnce(String) -> RunError,
) -> Result<FunctionConfig, RunError> {
    let clock = retrier.clock;
    let started = clock.now_ms();
    let mut delay = None;
    loop {
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(RunError::Cancelled);
        }
        let config = retrier
            .call(|| api.get_function_configuration(awaited.function, awaited.qualifier))
            .await
            .map_err(|e| e.in_phase(awaited.phase))?;
        match config.state {
            FunctionState::Active | FunctionState::Inactive => return Ok(config),
            FunctionState::Failed(reason) => return Err(failed(reason)),
            FunctionState::Pending => {}
        }
        if elapsed(clock, started) > limit {
            return Err(RunError::Stuck {
                phase: awaited.phase,
                what: format!("{} becoming active", awaited.what),
                waited: limit,
            });
        }
        let next = activation_poll_delay(delay);
        delay = Some(next);
        clock.sleep(next).await;
    }
}

impl LambdaError {
    /// This error as the reason a run stopped in `phase`.
    pub(crate) fn in_phase(self, phase: Phase) -> RunError {
        RunError::Lambda {
            phase,
            source: self,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use futures::executor::block_on;

    use super::*;
    use crate::sim::ManualClock;

    #[test]
    fn backoff_doubles_from_100_ms_within_its_jitter_up_to_10_s() {
        for attempt in 1..=12 {
            let cap = (100u64 << attempt).min(10_000);
            let low = backoff_delay(attempt, 0.0).as_millis() as u64;
            let high = backoff_delay(attempt, 1.0).as_millis() as u64;
            assert_eq!((low, high), (cap / 2, cap), "attempt {attempt}");
        }
        assert_eq!(backoff_delay(1, 0.5), Duration::from_millis(150));
        // Out-of-range randoms and huge attempts stay bounded.
        assert_eq!(backoff_delay(1000, 7.0), Duration::from_secs(10));
    }

    #[test]
    fn transient_errors_are_retried_and_lasting_ones_are_not() {
        let clock = ManualClock::new();
        let events = RefCell::new(Vec::new());
        let on_event = |e: Event| events.borrow_mut().push(e);
        let retrier = Retrier::new(&clock, 1, &on_event);
        let calls = Cell::new(0);
        let throttled_twice = block_on(retrier.call(|| {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move {
                if n <= 2 {
                    Err(LambdaError::Throttled {
                        message: "slow down".into(),
                    })
                } else {
                    Ok(n)
                }
            }
        }));
        assert_eq!(throttled_twice, Ok(3));
        assert_eq!(events.borrow().len(), 2);
        // The waits were the backoff schedule's: 100..200 ms, then 200..400 ms.
        assert!(
            (300.0..=600.0).contains(&clock.now_ms()),
            "{}",
            clock.now_ms()
        );

        calls.set(0);
        let denied = block_on(retrier.call(|| {
            calls.set(calls.get() + 1);
            async {
                Err::<(), _>(LambdaError::AccessDenied {
                    action: None,
                    message: "no".into(),
                })
            }
        }));
        assert!(matches!(denied, Err(LambdaError::AccessDenied { .. })));
        assert_eq!(calls.get(), 1);

        calls.set(0);
        let always_5xx = block_on(retrier.call(|| {
            calls.set(calls.get() + 1);
            async {
                Err::<(), _>(LambdaError::Service {
                    code: "ServiceException".into(),
                    status: 500,
                    message: "oops".into(),
                })
            }
        }));
        assert!(always_5xx.is_err());
        assert_eq!(calls.get(), MAX_API_ATTEMPTS);
    }

    #[test]
    fn update_polls_are_brisk_for_3_s_then_back_off_to_2_s() {
        let mut delay = Duration::ZERO;
        let mut waited = Duration::ZERO;
        let mut delays = Vec::new();
        while waited < Duration::from_secs(20) {
            delay = update_poll_delay(delay, waited);
            delays.push(delay);
            waited += delay;
        }
        assert!(
            delays[..30]
                .iter()
                .all(|d| *d == Duration::from_millis(100))
        );
        assert_eq!(delays[31], Duration::from_millis(150));
        assert!(delays.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(*delays.last().unwrap(), Duration::from_secs(2));
    }

    #[test]
    fn activation_polls_grow_from_250_ms_to_5_s() {
        let first = activation_poll_delay(None);
        assert_eq!(first, Duration::from_millis(250));
        assert_eq!(
            activation_poll_delay(Some(first)),
            Duration::from_millis(375)
        );
        assert_eq!(
            activation_poll_delay(Some(Duration::from_secs(4))),
            Duration::from_secs(5)
        );
    }
}
