//! Reading and parsing a file on one core while the database writes on the other.

use std::sync::mpsc;
use std::thread;

const CHUNK: usize = 1024;

/// Runs `rows` on a background thread and hands its items back in order, in chunks, so parsing
/// overlaps with writing. The thread ends when the rows do or when the receiver is dropped.
pub fn pipelined<T: Send + 'static>(rows: impl Iterator<Item = T> + Send + 'static) -> impl Iterator<Item = T> {
    let (sender, receiver) = mpsc::sync_channel::<Vec<T>>(8);
    thread::spawn(move || {
        let mut chunk = Vec::with_capacity(CHUNK);
        for row in rows {
            chunk.push(row);
            if chunk.len() == CHUNK && sender.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))).is_err() {
                return;
            }
        }
        let _ = sender.send(chunk);
    });
    receiver.into_iter().flatten()
}
