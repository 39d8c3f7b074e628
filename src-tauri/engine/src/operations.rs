//! Long operations the UI can cancel by the id it gave them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

#[derive(Debug, Default, Clone)]
pub struct Operations(Arc<Mutex<Registry>>);

#[derive(Debug, Default)]
struct Registry {
    next_generation: u64,
    running: HashMap<u32, (u64, CancellationToken)>,
}

/// Unregisters its operation when the operation ends, however it ends.
pub struct Running {
    operations: Operations,
    id: u32,
    generation: u64,
    pub token: CancellationToken,
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut registry = self.operations.0.lock().unwrap();
        // A later operation may have taken the same id: leave it registered.
        if registry.running.get(&self.id).is_some_and(|(generation, _)| *generation == self.generation) {
            registry.running.remove(&self.id);
        }
    }
}

impl Operations {
    pub fn start(&self, id: u32) -> Running {
        let token = CancellationToken::new();
        let mut registry = self.0.lock().unwrap();
        registry.next_generation += 1;
        let generation = registry.next_generation;
        if let Some((_, previous)) = registry.running.insert(id, (generation, token.clone())) {
            previous.cancel();
        }
        Running { operations: self.clone(), id, generation, token }
    }

    pub fn cancel(&self, id: u32) {
        if let Some((_, token)) = self.0.lock().unwrap().running.get(&id) {
            token.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancelling_reaches_the_running_operation_and_ends_with_it() {
        let operations = Operations::default();
        let running = operations.start(7);
        operations.cancel(7);
        assert!(running.token.is_cancelled());
        drop(running);
        assert!(operations.0.lock().unwrap().running.is_empty());
        operations.cancel(7);
    }

    #[test]
    fn an_ended_operation_never_unregisters_a_later_one_with_its_id() {
        let operations = Operations::default();
        let first = operations.start(9);
        let second = operations.start(9);
        assert!(first.token.is_cancelled(), "a new operation under the same id stops the old one");
        drop(first);
        operations.cancel(9);
        assert!(second.token.is_cancelled(), "the later operation can still be cancelled");
    }
}
