//! Time for the engine: a clock and a timer, injected so that the browser, tokio and tests each
//! bring their own (`SystemTime::now()` panics in the browser), and the manual clock of tests and
//! simulations.

use std::{
    cell::Cell,
    future::Future,
    pin::Pin,
    rc::Rc,
    task::{Context, Poll},
    time::Duration,
};

/// A clock and a timer.
#[allow(async_fn_in_trait)] // No `Send` bound: the engine runs on one thread (see `api`).
pub trait Clock {
    /// Milliseconds since some fixed point.
    fn now_ms(&self) -> f64;
    /// Waits for `duration`.
    async fn sleep(&self, duration: Duration);
}

/// Pending once, so that a `select!` around the caller sees its other branches first (as a
/// real timer or request would let them).
pub async fn yield_now() {
    YieldNow(false).await;
}

/// A clock for tests and simulations: `sleep` returns at once and moves time forward.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Rc<Cell<f64>>);

impl ManualClock {
    /// A clock at time 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves time forward.
    pub fn advance(&self, by: Duration) {
        self.0.set(self.0.get() + by.as_secs_f64() * 1000.0);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> f64 {
        self.0.get()
    }

    async fn sleep(&self, duration: Duration) {
        self.advance(duration);
        // Let other futures run, as a real timer would.
        yield_now().await;
    }
}

struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}
