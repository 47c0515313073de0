//! Loopback stand-ins for the network that lexicon resolution uses: a DNS
//! server answering TXT queries from a table, and an HTTP server answering
//! GETs from a table. Both run on a thread for the life of the test and log
//! what they were asked, so tests can prove what did (not) go out.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A DNS server on 127.0.0.1 answering TXT queries over UDP, and over TCP
/// on the same port (where it can send UDP answers truncated, to make
/// clients retry there).
pub struct FakeDns {
    /// Its address, for `--dns`.
    pub addr: SocketAddr,
    records: Arc<Mutex<HashMap<String, Vec<String>>>>,
    queries: Arc<Mutex<Vec<String>>>,
    truncate_udp: Arc<AtomicBool>,
}

impl FakeDns {
    /// Starts the server with no records.
    pub fn start() -> FakeDns {
        // A port free for both UDP and TCP.
        let (socket, tcp) = loop {
            let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP port");
            if let Ok(tcp) = TcpListener::bind(socket.local_addr().expect("local address")) {
                break (socket, tcp);
            }
        };
        let addr = socket.local_addr().expect("local address");
        let records: Arc<Mutex<HashMap<String, Vec<String>>>> = Arc::default();
        let queries: Arc<Mutex<Vec<String>>> = Arc::default();
        let truncate_udp: Arc<AtomicBool> = Arc::default();
        let (r, q, t) = (records.clone(), queries.clone(), truncate_udp.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                if let Some((name, mut reply)) = answer(&buf[..n], &r.lock().unwrap()) {
                    q.lock().unwrap().push(format!("udp {name}"));
                    if t.load(Ordering::Relaxed) {
                        reply[2] |= 0x02; // TC: truncated
                        reply[6..8].copy_from_slice(&[0, 0]);
                    }
                    let _ = socket.send_to(&reply, from);
                }
            }
        });
        let (r, q) = (records.clone(), queries.clone());
        std::thread::spawn(move || {
            for mut stream in tcp.incoming().flatten() {
                let mut len = [0u8; 2];
                if stream.read_exact(&mut len).is_err() {
                    continue;
                }
                let mut query = vec![0u8; u16::from_be_bytes(len) as usize];
                if stream.read_exact(&mut query).is_err() {
                    continue;
                }
                if let Some((name, reply)) = answer(&query, &r.lock().unwrap()) {
                    q.lock().unwrap().push(format!("tcp {name}"));
                    let _ = stream.write_all(&(reply.len() as u16).to_be_bytes());
                    let _ = stream.write_all(&reply);
                }
            }
        });
        FakeDns {
            addr,
            records,
            queries,
            truncate_udp,
        }
    }

    /// Answers over UDP with the truncated bit and no records, so that
    /// clients must ask again over TCP.
    pub fn truncate_udp(&self) {
        self.truncate_udp.store(true, Ordering::Relaxed);
    }

    /// Serves `texts` as the TXT records of `name`.
    pub fn set_txt(&self, name: &str, texts: &[&str]) {
        self.records.lock().unwrap().insert(
            name.to_ascii_lowercase(),
            texts.iter().map(|t| t.to_string()).collect(),
        );
    }

    /// Every name asked so far, in order (over UDP or TCP).
    pub fn queries(&self) -> Vec<String> {
        self.queries
            .lock()
            .unwrap()
            .iter()
            .map(|q| q[4..].to_string())
            .collect()
    }

    /// Every query so far as `udp NAME` or `tcp NAME`.
    pub fn transcript(&self) -> Vec<String> {
        self.queries.lock().unwrap().clone()
    }
}

/// The reply to one query: TXT records from the table, else NXDOMAIN.
fn answer(query: &[u8], table: &HashMap<String, Vec<String>>) -> Option<(String, Vec<u8>)> {
    let mut labels = Vec::new();
    let mut i = 12;
    loop {
        let len = *query.get(i)? as usize;
        i += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(i..i + len)?).to_ascii_lowercase());
        i += len;
    }
    let question_end = i + 4;
    let name = labels.join(".");
    let texts = table.get(&name);
    let mut reply = query.get(..question_end)?.to_vec();
    reply[2] = 0x81; // response, recursion desired
    reply[3] = if texts.is_some() { 0x80 } else { 0x83 }; // NXDOMAIN when absent
    let count = texts.map_or(0, Vec::len) as u16;
    reply[6..8].copy_from_slice(&count.to_be_bytes());
    for text in texts.into_iter().flatten() {
        let rdata: Vec<u8> = text
            .as_bytes()
            .chunks(255)
            .flat_map(|c| std::iter::once(c.len() as u8).chain(c.iter().copied()))
            .collect();
        reply.extend_from_slice(&[0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60]);
        reply.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        reply.extend_from_slice(&rdata);
    }
    Some((name, reply))
}

/// Path -> (content type, body).
type Routes = Arc<Mutex<HashMap<String, (&'static str, Vec<u8>)>>>;

/// An HTTP/1.1 server on 127.0.0.1 answering GETs by exact path (query
/// included) with JSON; anything else is a 404 XRPC error.
pub struct FakeHttp {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    routes: Routes,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeHttp {
    /// Starts the server with no routes.
    pub fn start() -> FakeHttp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a TCP port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let routes: Routes = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, q) = (routes.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // Skip the headers.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok() && header.trim() != "" {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                q.lock().unwrap().push(path.clone());
                let body = r.lock().unwrap().get(&path).cloned();
                let (status, (content_type, body)) = match body {
                    Some(b) => ("200 OK", b),
                    None => (
                        "404 Not Found",
                        (
                            "application/json",
                            br#"{"error":"NotFound","message":"no such route"}"#.to_vec(),
                        ),
                    ),
                };
                let _ = write!(
                    &stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = (&stream).write_all(&body);
            }
        });
        FakeHttp {
            url,
            routes,
            requests,
        }
    }

    /// Answers `GET path` with `body`.
    pub fn route(&self, path: &str, body: &serde_json::Value) {
        self.routes.lock().unwrap().insert(
            path.to_string(),
            ("application/json", body.to_string().into_bytes()),
        );
    }

    /// Answers `GET path` with plain text.
    pub fn route_text(&self, path: &str, text: &str) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), ("text/plain", text.as_bytes().to_vec()));
    }

    /// Answers `GET path` with the bytes of a CAR file.
    pub fn route_car(&self, path: &str, car: Vec<u8>) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), ("application/vnd.ipld.car", car));
    }

    /// Every path requested so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}
