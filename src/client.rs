//! One connected client's own state: what the connection commands (HELLO,
//! CLIENT, QUIT...) read and change. It belongs to the client's thread
//! alone, so it needs no lock.

use std::net::SocketAddr;

use crate::protocol::RespVersion;

/// Why a connection is about to end on the server's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hangup {
    /// QUIT: send this reply, then close.
    AfterReply,
    /// SHUTDOWN: stop the whole server, replying to nobody.
    Shutdown,
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
        }
    }
}
