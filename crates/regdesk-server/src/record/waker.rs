//! Wakes waiting pulls when an entry is accepted (and keeps the latest
//! entries they read, [`super::recent`]), by this server instance or
//! any other over the same database: one connection per instance `LISTEN`s on
//! [`super::CHANNEL`], which every accepting transaction notifies at commit.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio_postgres::{AsyncMessage, NoTls};

use super::CHANNEL;

/// Stops the listening task when the last [`Waker`] goes.
#[derive(Debug)]
struct Listening(tokio::task::JoinHandle<()>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The instance's listener for accepted entries; cheap to clone.
#[derive(Debug, Clone)]
pub struct Waker {
    seen: watch::Receiver<u64>,
    _task: Arc<Listening>,
    /// The latest entries, read once for all the pulls it wakes.
    recent: Arc<super::recent::Recent>,
}

impl Waker {
    /// Starts listening with its own connection to the record's database
    /// (reconnecting after a second when the connection drops).
    pub fn start(config: tokio_postgres::Config) -> Waker {
        let (tx, seen) = watch::channel(0u64);
        let task = tokio::spawn(async move {
            loop {
                if let Err(e) = listen(&config, &tx).await {
                    tracing::warn!(error = %e, "listening for accepted entries failed; reconnecting");
                }
                // Pulls read the record again whatever was missed meanwhile.
                tx.send_modify(|n| *n = n.wrapping_add(1));
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        Waker {
            seen,
            _task: Arc::new(Listening(task)),
            recent: Arc::default(),
        }
    }

    /// How many notifications (and reconnections) the instance has had.
    pub(crate) fn notified(&self) -> u64 {
        *self.seen.borrow()
    }

    /// The instance's window of the latest accepted entries.
    pub(crate) fn recent(&self) -> &super::recent::Recent {
        &self.recent
    }

    /// A receiver that changes with every notification from now on.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        let mut rx = self.seen.clone();
        rx.mark_unchanged();
        rx
    }
}

async fn listen(config: &tokio_postgres::Config, tx: &watch::Sender<u64>) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let query = format!("LISTEN {CHANNEL}");
    let subscribe = client.batch_execute(&query);
    tokio::pin!(subscribe);
    let mut subscribed = false;
    loop {
        tokio::select! {
            done = &mut subscribe, if !subscribed => {
                done?;
                subscribed = true;
                tx.send_modify(|n| *n = n.wrapping_add(1));
            }
            message = std::future::poll_fn(|cx| connection.poll_message(cx)) => match message {
                Some(Ok(AsyncMessage::Notification(_))) => tx.send_modify(|n| *n = n.wrapping_add(1)),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
        }
    }
}
