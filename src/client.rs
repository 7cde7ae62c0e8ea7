//! One connected client's own state: what the connection commands (HELLO,
//! CLIENT, QUIT...) read and change. It belongs to the client's thread
//! alone, so it needs no lock.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::connection::SharedSocket;
use crate::protocol::RespVersion;
use crate::pubsub::{Card, Outbox, Subscriber};

/// Why a connection is about to end on the server's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hangup {
    /// QUIT: send this reply, then close.
    AfterReply,
    /// SHUTDOWN: stop the whole server, replying to nobody. `save`: SAVE
    /// (`Some(true)`), NOSAVE (`Some(false)`), or as the save policy says.
    Shutdown { save: Option<bool> },
}

/// One connected client.
#[derive(Debug)]
pub struct Client {
    /// Unique for the life of the server (CLIENT ID, HELLO).
    pub id: u64,
    pub addr: Option<SocketAddr>,
    /// Set by CLIENT SETNAME or HELLO SETNAME.
    pub name: Option<Vec<u8>>,
    /// Set by CLIENT SETINFO, as client libraries do at connect time.
    pub lib_name: Option<Vec<u8>>,
    pub lib_ver: Option<Vec<u8>>,
    /// RESP2 until the client says HELLO 3.
    pub resp: RespVersion,
    pub hangup: Option<Hangup>,
    /// Logged in: true from the start if the default user needed no
    /// password when the client connected, else once AUTH (or HELLO's AUTH
    /// option) has worked. Until then only AUTH, HELLO and QUIT run.
    pub authenticated: bool,
    /// A look at the socket, to notice that the client has left while its
    /// thread waits in BLPOP instead of reading.
    pub peer: Option<Peer>,
    /// Once it subscribes or MONITORs: its outbox and what it listens to.
    pub subscriber: Option<Subscriber>,
}

/// The client's socket, to ask whether the client is still there, and to
/// give it an outbox when other threads start writing to it.
#[derive(Debug, Clone)]
pub struct Peer(SharedSocket);

impl Peer {
    pub fn new(socket: SharedSocket) -> Peer {
        Peer(socket)
    }

    /// The client's outbox, made (held, until the connection lets it
    /// start) the first time it is asked for.
    pub fn outbox(&self, card: Card, resp3: bool) -> io::Result<Arc<Outbox>> {
        if let Some(outbox) = self.0.outbox.get() {
            return Ok(Arc::clone(outbox));
        }
        let outbox = Outbox::new(self.0.socket.shared_stream(), card, resp3)?;
        let _ = self.0.outbox.set(Arc::clone(&outbox));
        Ok(outbox)
    }

    /// Puts the socket in non-blocking mode, so that [`Peer::is_gone`] can
    /// look at it from any thread without waiting. The client's thread does
    /// this before its client is blocked (BLPOP); the connection switches
    /// back when it next sleeps in a read.
    pub fn make_nonblocking(&self) {
        // Should this fail, the socket is broken, and a look at it fails at once.
        let _ = self.0.socket.set_nonblocking(true);
    }

    /// True once the client has closed its side, or the socket failed.
    /// Unread requests (a pipeline behind a BLPOP) mean it is still there.
    /// Asked only after [`Peer::make_nonblocking`].
    pub fn is_gone(&self) -> bool {
        match self.0.socket.stream().peek(&mut [0; 1]) {
            Ok(0) => true,
            Ok(_) => false,
            Err(err) => err.kind() != io::ErrorKind::WouldBlock,
        }
    }
}

impl Client {
    pub fn new(id: u64, addr: Option<SocketAddr>) -> Client {
        Client {
            id,
            addr,
            name: None,
            lib_name: None,
            lib_ver: None,
            resp: RespVersion::Resp2,
            hangup: None,
            authenticated: true,
            peer: None,
            subscriber: None,
        }
    }
}
