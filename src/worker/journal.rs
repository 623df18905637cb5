//! The journal as the worker sees it: a copy of the entries in memory, every write handed to the
//! page (which keeps the run's journal in `localStorage` under the run's Web Lock), and
//! [`Journal::settled`] waiting for the page's answer, so that nothing is created before its
//! entry is durable.

use std::{
    cell::{Cell, RefCell},
    rc::Rc,
};

use futures::channel::oneshot;
use powertune_tuner::journal::{self, Journal, JournalEntry, JournalError, Settled};

use crate::worker_protocol::{FromWorker, JournalWrite};

/// Sends a message to the page.
pub type Post = Rc<dyn Fn(FromWorker)>;

/// The writes awaiting the page's answer, by task and number.
pub type Waiting = Rc<RefCell<Vec<((u32, u32), oneshot::Sender<Result<(), JournalError>>)>>>;

/// Task `id`'s journal, kept by the page.
pub struct PageJournal {
    id: u32,
    entries: RefCell<Vec<JournalEntry>>,
    next: Cell<u32>,
    post: Post,
    waiting: Waiting,
    answers: RefCell<Vec<oneshot::Receiver<Result<(), JournalError>>>>,
}

impl PageJournal {
    /// The journal of task `id`, starting with `entries` (a dead run's, being cleaned up).
    pub fn new(id: u32, entries: Vec<JournalEntry>, post: Post, waiting: Waiting) -> Self {
        Self {
            id,
            entries: RefCell::new(entries),
            next: Cell::new(0),
            post,
            waiting,
            answers: RefCell::new(Vec::new()),
        }
    }

    fn send(&self, write: JournalWrite) {
        let seq = self.next.get();
        self.next.set(seq + 1);
        let (sender, receiver) = oneshot::channel();
        self.waiting.borrow_mut().push(((self.id, seq), sender));
        self.answers.borrow_mut().push(receiver);
        (self.post)(FromWorker::Journal {
            id: self.id,
            seq,
            write,
        });
    }
}

/// The page's answer to write `seq` of task `id`.
pub fn answer(waiting: &Waiting, id: u32, seq: u32, result: Result<(), JournalError>) {
    let mut waiting = waiting.borrow_mut();
    if let Some(i) = waiting.iter().position(|(key, _)| *key == (id, seq)) {
        let (_, sender) = waiting.swap_remove(i);
        let _ = sender.send(result);
    }
}

impl Journal for PageJournal {
    fn put(&self, entry: JournalEntry) -> Result<(), JournalError> {
        journal::upsert(&mut self.entries.borrow_mut(), entry.clone());
        self.send(JournalWrite::Put(entry));
        Ok(())
    }

    fn remove(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        journal::delete(&mut self.entries.borrow_mut(), entry);
        self.send(JournalWrite::Remove(entry.clone()));
        Ok(())
    }

    fn entries(&self) -> Vec<JournalEntry> {
        self.entries.borrow().clone()
    }

    fn settled(&self) -> Settled<'_> {
        let answers = std::mem::take(&mut *self.answers.borrow_mut());
        Box::pin(async move {
            let mut first_error = None;
            for answer in answers {
                let result = answer.await.unwrap_or_else(|_| {
                    Err(JournalError {
                        where_: "the page".into(),
                        reason: "it stopped answering".into(),
                    })
                });
                if let Err(e) = result {
                    first_error.get_or_insert(e);
                }
            }
            first_error.map_or(Ok(()), Err)
        })
    }
}
