//! Virtual time for timing a run without waiting for it: a clock whose sleepers wait for a
//! deadline, and a driver that polls the run until it blocks, then moves the clock to the
//! earliest deadline and wakes those sleepers. Concurrent waits overlap as they would in real
//! time (the manual clock of the other tests adds them up instead), so the time a run reports is
//! the wall time it would take.

use std::{
    cell::{Cell, RefCell},
    future::Future,
    pin::pin,
    rc::Rc,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll, Waker},
    time::Duration,
};

use futures::task::{ArcWake, waker};
use powertune_tuner::clock::Clock;

#[derive(Default)]
struct Timers {
    now_ms: Cell<f64>,
    waiting: RefCell<Vec<(f64, Waker)>>,
}

/// The clock; clones share one time line.
#[derive(Clone, Default)]
pub struct VirtualClock(Rc<Timers>);

impl Clock for VirtualClock {
    fn now_ms(&self) -> f64 {
        self.0.now_ms.get()
    }

    async fn sleep(&self, duration: Duration) {
        Sleep {
            timers: self.0.clone(),
            deadline: self.now_ms() + duration.as_secs_f64() * 1000.0,
            yielded: false,
            registered: false,
        }
        .await;
    }
}

struct Sleep {
    timers: Rc<Timers>,
    deadline: f64,
    yielded: bool,
    /// Whether its waker is with the timers (one task drives everything, so once is enough).
    registered: bool,
}

impl Future for Sleep {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.timers.now_ms.get() >= self.deadline {
            // Even a sleep that is due lets the other branches run once, as a timer would.
            if self.yielded {
                return Poll::Ready(());
            }
            self.yielded = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if !self.registered {
            self.registered = true;
            self.timers
                .waiting
                .borrow_mut()
                .push((self.deadline, cx.waker().clone()));
        }
        Poll::Pending
    }
}

struct Flag(AtomicBool);

impl ArcWake for Flag {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs `future` to completion on `clock`'s time line.
///
/// # Panics
/// When the future waits with no timer left to wake it (a deadlock).
pub fn run<F: Future>(clock: &VirtualClock, future: F) -> F::Output {
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let waker = waker(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        flag.0.store(false, Ordering::SeqCst);
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        if flag.0.load(Ordering::SeqCst) {
            continue;
        }
        let timers = &clock.0;
        let next = timers
            .waiting
            .borrow()
            .iter()
            .map(|t| t.0)
            .fold(f64::INFINITY, f64::min);
        assert!(next.is_finite(), "the run waits and no timer will wake it");
        timers.now_ms.set(timers.now_ms.get().max(next));
        let now = timers.now_ms.get();
        let due: Vec<Waker> = {
            let mut waiting = timers.waiting.borrow_mut();
            let (due, later): (Vec<_>, Vec<_>) = waiting.drain(..).partition(|t| t.0 <= now);
            *waiting = later;
            due.into_iter().map(|t| t.1).collect()
        };
        for w in due {
            w.wake();
        }
    }
}
