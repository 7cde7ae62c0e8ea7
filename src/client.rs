//! One connected client's own state: what the connection commands (HELLO,
//! CLIENT, QUIT...) read and change. It belongs to the client's thread
//! alone, so it needs no lock.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::connection::Socket;
use crate::protocol::RespVersion;

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
}

/// The client's socket, only to ask whether the client is still there.
#[derive(Debug, Clone)]
pub struct Peer(Arc<Socket>);

impl Peer {
    pub fn new(socket: Arc<Socket>) -> Peer {
        Peer(socket)
    }

    /// Puts the socket in non-blocking mode, so that [`Peer::is_gone`] can
    /// look at it from any thread without waiting. The client's thread does
    /// this before its client is blocked (BLPOP); the connection switches
    /// back when it next sleeps in a read.
    pub fn make_nonblocking(&self) {
        // Should this fail, the socket is broken, and a look at it fails at once.
        let _ = self.0.set_nonblocking(true);
    }

    /// True once the client has closed its side, or the socket failed.
    /// Unread requests (a pipeline behind a BLPOP) mean it is still there.
    /// Asked only after [`Peer::make_nonblocking`].
    pub fn is_gone(&self) -> bool {
        match self.0.stream().peek(&mut [0; 1]) {
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
        }
    }
}
