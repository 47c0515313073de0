//! A minimal DNS client (feature `dns`): one TXT query over UDP (TCP when
//! the answer is truncated) to a configurable server, blocking. Handle
//! resolution (`_atproto.<handle>`, the `identity` feature) and lexicon
//! resolution (`_lexicon.<authority>`, in lexgen) need nothing more.
//!
//! Not `hickory-resolver`: one record type from one server needs no async
//! runtime and thirty crates. The wire format of a TXT query is small and
//! stable (RFC 1035), and taking the server as a plain address is exactly
//! what tests and private deployments need (`--dns 127.0.0.1:5353`).

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

const TYPE_TXT: u16 = 16;
const CLASS_IN: u16 = 1;
const TIMEOUT: Duration = Duration::from_secs(3);
const ATTEMPTS: usize = 2;

/// The first `nameserver` of `/etc/resolv.conf`, on port 53.
pub fn system_server() -> Option<SocketAddr> {
    let conf = std::fs::read_to_string("/etc/resolv.conf").ok()?;
    conf.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("nameserver"))
            .then(|| words.next()?.parse::<IpAddr>().ok())
            .flatten()
            .map(|ip| SocketAddr::new(ip, 53))
    })
}

/// The TXT records of `name` (each record's strings joined), in answer
/// order; empty when the name does not exist or has none.
pub fn query_txt(server: SocketAddr, name: &str) -> Result<Vec<String>, String> {
    static NEXT_ID: AtomicU16 = AtomicU16::new(0);
    let id = NEXT_ID
        .fetch_add(1, Ordering::Relaxed)
        .wrapping_add(std::process::id() as u16);
    let query = build_query(id, name)?;
    let mut last_error = String::new();
    for _ in 0..ATTEMPTS {
        match udp_exchange(server, &query) {
            Ok(answer) => match parse_answer(id, &answer) {
                Err(Answer::Truncated) => {
                    return tcp_exchange(server, &query)
                        .and_then(|a| parse_answer(id, &a).map_err(|e| e.to_string()))
                }
                other => return other.map_err(|e| e.to_string()),
            },
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

fn build_query(id: u16, name: &str) -> Result<Vec<u8>, String> {
    let mut q = Vec::with_capacity(name.len() + 18);
    q.extend_from_slice(&id.to_be_bytes());
    // Flags: recursion desired. One question.
    q.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in name.trim_end_matches('.').split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err(format!("{name:?} is not a valid DNS name"));
        }
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.push(0);
    q.extend_from_slice(&TYPE_TXT.to_be_bytes());
    q.extend_from_slice(&CLASS_IN.to_be_bytes());
    Ok(q)
}

fn udp_exchange(server: SocketAddr, query: &[u8]) -> Result<Vec<u8>, String> {
    let local: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        ([0u16; 8], 0).into()
    };
    let socket = UdpSocket::bind(local).map_err(|e| e.to_string())?;
    socket
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    socket.connect(server).map_err(|e| e.to_string())?;
    socket.send(query).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 4096];
    let n = socket.recv(&mut buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
            format!("no answer within {} s", TIMEOUT.as_secs())
        }
        _ => e.to_string(),
    })?;
    buf.truncate(n);
    Ok(buf)
}

fn tcp_exchange(server: SocketAddr, query: &[u8]) -> Result<Vec<u8>, String> {
    let err = |e: std::io::Error| format!("over TCP: {e}");
    let mut stream = TcpStream::connect_timeout(&server, TIMEOUT).map_err(err)?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(err)?;
    let mut framed = (query.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(query);
    stream.write_all(&framed).map_err(err)?;
    let mut len = [0u8; 2];
    stream.read_exact(&mut len).map_err(err)?;
    let mut answer = vec![0u8; u16::from_be_bytes(len) as usize];
    stream.read_exact(&mut answer).map_err(err)?;
    Ok(answer)
}

/// Why an answer has no records to give.
enum Answer {
    Truncated,
    Bad(String),
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Truncated => f.write_str("the answer was truncated"),
            Answer::Bad(why) => f.write_str(why),
        }
    }
}

fn parse_answer(id: u16, msg: &[u8]) -> Result<Vec<String>, Answer> {
    let bad = |why: &str| Answer::Bad(format!("malformed DNS answer: {why}"));
    let u16_at = |i: usize| -> Result<u16, Answer> {
        msg.get(i..i + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| bad("too short"))
    };
    if u16_at(0)? != id {
        return Err(bad("wrong query id"));
    }
    let flags = u16_at(2)?;
    if flags & 0x8000 == 0 {
        return Err(bad("not a response"));
    }
    if flags & 0x0200 != 0 {
        return Err(Answer::Truncated);
    }
    match flags & 0x000f {
        0 => {}
        3 => return Ok(Vec::new()), // NXDOMAIN
        2 => return Err(Answer::Bad("the server failed (SERVFAIL)".into())),
        5 => return Err(Answer::Bad("the server refused the query".into())),
        code => {
            return Err(Answer::Bad(format!(
                "the server answered error code {code}"
            )))
        }
    }
    let (questions, answers) = (u16_at(4)?, u16_at(6)?);
    let mut i = 12;
    for _ in 0..questions {
        i = skip_name(msg, i).ok_or_else(|| bad("bad question name"))? + 4;
    }
    let mut records = Vec::new();
    for _ in 0..answers {
        i = skip_name(msg, i).ok_or_else(|| bad("bad answer name"))?;
        let (rtype, len) = (u16_at(i)?, u16_at(i + 8)? as usize);
        let data = msg
            .get(i + 10..i + 10 + len)
            .ok_or_else(|| bad("record overruns the message"))?;
        i += 10 + len;
        if rtype != TYPE_TXT {
            continue; // e.g. a CNAME on the way
        }
        let mut text = Vec::new();
        let mut j = 0;
        while j < data.len() {
            let n = data[j] as usize;
            let s = data
                .get(j + 1..j + 1 + n)
                .ok_or_else(|| bad("bad TXT string"))?;
            text.extend_from_slice(s);
            j += 1 + n;
        }
        records.push(String::from_utf8_lossy(&text).into_owned());
    }
    Ok(records)
}

/// The offset just past a (possibly compressed) name at `i`.
fn skip_name(msg: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let len = *msg.get(i)?;
        match len {
            0 => return Some(i + 1),
            l if l & 0xc0 == 0xc0 => return Some(i + 2),
            l => i += 1 + l as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_rfc_1035() {
        let q = build_query(0x1234, "_lexicon.example.com").unwrap();
        let mut expected = vec![0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        expected.extend_from_slice(b"\x08_lexicon\x07example\x03com\x00\x00\x10\x00\x01");
        assert_eq!(q, expected);
        assert!(build_query(1, "a..b").is_err());
    }

    #[test]
    fn answers_join_strings_and_skip_other_types() {
        let mut msg = vec![0, 7, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0];
        msg.extend_from_slice(b"\x01a\x00\x00\x10\x00\x01");
        // A CNAME (type 5) with a compressed name, then a TXT of two strings.
        msg.extend_from_slice(&[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12]);
        msg.extend_from_slice(&[0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 9]);
        msg.extend_from_slice(b"\x04did=\x03abc");
        assert_eq!(parse_answer(7, &msg).ok(), Some(vec!["did=abc".to_owned()]));
        msg[3] = 0x83; // NXDOMAIN
        assert_eq!(parse_answer(7, &msg).ok(), Some(vec![]));
        assert!(parse_answer(8, &msg).is_err());
    }
}
