//! Clients blocked in BLPOP and its kin, and how a push serves them.
//!
//! In asyncio, a blocked client is a future parked on the event loop; here
//! it is a thread parked on a [`Condvar`]. It waits with no lock held. A
//! client whose write gives one of its keys data serves it on the spot, in
//! the same write guard, the way Redis serves blocked clients right after
//! the command that unblocked them: first come, first served, and no third
//! client can take the element in between. Then it wakes the waiter, whose
//! thread only has to send the reply.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::client::Peer;
use crate::commands::{BlockingCommand, CommandError, CommandResult, Context};
use crate::storage::Store;

/// One blocked client, as the others see it.
pub struct Waiter {
    state: Mutex<WaitState>,
    woken: Condvar,
    /// Its socket, so that a writer does not hand an element to a client
    /// that has just left.
    peer: Option<Peer>,
}

struct WaitState {
    /// The command, until somebody serves it.
    command: Option<Box<dyn BlockingCommand>>,
    result: Option<CommandResult>,
}

impl Waiter {
    fn lock(&self) -> MutexGuard<'_, WaitState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until served, or until `until` (`None`: a tenth of a second,
    /// so the caller can check that its client is still there). Returns the
    /// result if it was served.
    pub fn wait(&self, until: Option<Instant>) -> Option<CommandResult> {
        //@ step 7: Lock the state; unless a result is there, `wait_timeout` on `woken` for at most 100 ms (less if `until` comes sooner); then take the result.
        let mut state = self.lock();
        if state.result.is_none() {
            let slice = Duration::from_millis(100);
            let timeout = until.map_or(slice, |until| {
                until.saturating_duration_since(Instant::now()).min(slice)
            });
            (state, _) = self
                .woken
                .wait_timeout(state, timeout)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.result.take()
        //@ end step 7
    }
}

/// Every blocked client, by the keys it waits on, first come first.
///
/// The queues are changed only by a thread that holds the store's write
/// guard, so they always agree with [`Store`]'s count of waiters per key.
#[derive(Default)]
pub struct Waiters {
    queues: Mutex<HashMap<Vec<u8>, VecDeque<Arc<Waiter>>>>,
}

impl std::fmt::Debug for Waiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let waiting: usize = self.lock().values().map(VecDeque::len).sum();
        write!(f, "Waiters {{ {waiting} waits }}")
    }
}

impl Waiters {
    fn lock(&self) -> MutexGuard<'_, HashMap<Vec<u8>, VecDeque<Arc<Waiter>>>> {
        self.queues.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Parks `command` on its keys; the caller holds the write guard.
    pub fn block(
        &self,
        store: &mut Store,
        command: Box<dyn BlockingCommand>,
        peer: Option<Peer>,
    ) -> Arc<Waiter> {
        let keys = command.keys().to_vec();
        let waiter = Arc::new(Waiter {
            state: Mutex::new(WaitState {
                command: Some(command),
                result: None,
            }),
            woken: Condvar::new(),
            peer,
        });
        store.wait_on(&keys);
        let mut queues = self.lock();
        for key in keys {
            queues
                .entry(key)
                .or_default()
                .push_back(Arc::clone(&waiter));
        }
        waiter
    }

    /// Takes a waiter out of every queue (timed out, or its client left);
    /// the caller holds the write guard. Returns its result if it was
    /// served meanwhile, and its command otherwise.
    pub fn unblock(
        &self,
        store: &mut Store,
        waiter: &Arc<Waiter>,
    ) -> Result<CommandResult, Box<dyn BlockingCommand>> {
        let mut state = waiter.lock();
        if let Some(result) = state.result.take() {
            return Ok(result);
        }
        // Taken out of line already, by a writer that found the client gone.
        let Some(command) = state.command.take() else {
            return Ok(Ok(crate::protocol::Reply::NullArray));
        };
        self.forget(store, waiter, command.keys());
        Err(command)
    }

    /// Serves the clients waiting on keys that a write just changed, first
    /// come first, while the writer still holds the guard. A served command
    /// may write in turn (BLMOVE pushes), making more keys ready. A waiter
    /// that the key cannot serve (now of another type) stays in line, as in
    /// Redis; one whose client has left is taken out.
    pub fn serve(&self, store: &mut Store, ctx: &Context) {
        while let Some(key) = store.next_ready() {
            //@ step 7: For each waiter in this key's line, first come first: skip one already served, take out one whose client left; `try_apply` its command (`None` or WRONGTYPE: it stays in line); else `settle_changes`, store the result, `forget` the waiter, `notify_one`.
            let in_line: Vec<Arc<Waiter>> = match self.lock().get(key.as_slice()) {
                Some(queue) => queue.iter().cloned().collect(),
                None => continue,
            };
            for waiter in in_line {
                let mut state = waiter.lock();
                let Some(command) = state.command.as_mut() else {
                    continue; // served through another of its keys
                };
                if waiter.peer.as_ref().is_some_and(Peer::is_gone) {
                    let command = state.command.take().expect("just seen");
                    drop(state);
                    self.forget(store, &waiter, command.keys());
                    waiter.woken.notify_one();
                    continue;
                }
                // A try that serves nothing changes nothing: forget what it
                // noted as changed, or its key would be ready again at once.
                let before = store.changes_mark();
                let result = match command.try_apply(store, ctx, true) {
                    None | Some(Err(CommandError::WrongType)) => {
                        store.forget_changes_since(before);
                        continue;
                    }
                    Some(result) => result,
                };
                store.settle_changes(result.is_ok());
                let command = state.command.take().expect("just seen");
                state.result = Some(result);
                drop(state);
                self.forget(store, &waiter, command.keys());
                waiter.woken.notify_one();
            }
            //@ end step 7
        }
    }

    fn forget(&self, store: &mut Store, waiter: &Arc<Waiter>, keys: &[Vec<u8>]) {
        store.stop_waiting(keys);
        let mut queues = self.lock();
        for key in keys {
            if let Some(queue) = queues.get_mut(key) {
                queue.retain(|other| !Arc::ptr_eq(other, waiter));
                if queue.is_empty() {
                    queues.remove(key);
                }
            }
        }
    }
}
