//! A cancel signal shared between the UI (or Ctrl-C) and a running engine.

use std::{
    cell::{Cell, RefCell},
    future::Future,
    pin::Pin,
    rc::Rc,
    task::{Context, Poll, Waker},
};

/// Cloneable handle: `cancel()` on any clone wakes every `cancelled()` future.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Rc<State>);

#[derive(Debug, Default)]
struct State {
    cancelled: Cell<bool>,
    wakers: RefCell<Vec<Waker>>,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests cancellation.
    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        for waker in self.0.wakers.borrow_mut().drain(..) {
            waker.wake();
        }
    }

    /// Whether cancellation was requested.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    /// Completes once cancellation is requested.
    pub fn cancelled(&self) -> Cancelled {
        Cancelled(self.clone())
    }
}

/// The future of [`CancelToken::cancelled`].
#[derive(Debug)]
pub struct Cancelled(CancelToken);

impl Future for Cancelled {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let state = &(self.0).0;
        if state.cancelled.get() {
            Poll::Ready(())
        } else {
            let mut wakers = state.wakers.borrow_mut();
            if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
                wakers.push(cx.waker().clone());
            }
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::{FutureExt as _, executor::block_on, future};

    #[test]
    fn cancel_wakes_waiters() {
        let token = CancelToken::new();
        let waiter = token.cancelled();
        assert!(token.cancelled().now_or_never().is_none());
        let other = token.clone();
        block_on(future::join(waiter, async move { other.cancel() }));
        assert!(token.is_cancelled());
    }
}
