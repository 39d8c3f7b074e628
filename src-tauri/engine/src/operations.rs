//! Long operations the UI can cancel by the id it gave them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

#[derive(Debug, Default, Clone)]
pub struct Operations(Arc<Mutex<HashMap<u32, CancellationToken>>>);

/// Unregisters its operation when the operation ends, however it ends.
pub struct Running {
    operations: Operations,
    id: u32,
    pub token: CancellationToken,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.operations.0.lock().unwrap().remove(&self.id);
    }
}

impl Operations {
    pub fn start(&self, id: u32) -> Running {
        let token = CancellationToken::new();
        if let Some(previous) = self.0.lock().unwrap().insert(id, token.clone()) {
            previous.cancel();
        }
        Running { operations: self.clone(), id, token }
    }

    pub fn cancel(&self, id: u32) {
        if let Some(token) = self.0.lock().unwrap().get(&id) {
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
        assert!(operations.0.lock().unwrap().is_empty());
        operations.cancel(7);
    }
}
