//! `kubeplay cluster`: the simulated cluster behind the Kubernetes REST API, so real clients (kubectl 1.35, k9s,
//! client libraries) can drive it. Plain HTTP on loopback, no authentication; the native program only (the page's
//! bundle never contains it: `tiny_http` and `sha1_smol` are native-only dependencies).
//!
//! - `discovery.rs`: `/version`, legacy discovery (`/api`, `/apis`, `/api/v1`, `/apis/GROUP/v1`).
//! - `rest.rs`: the resource endpoints — list (JSON or server-side `Table`), get, create, update, patch (strategic
//!   merge, JSON merge, JSON patch), delete, deletecollection, watch, the `scale` and `status` subresources, `log`;
//!   `dryRun=All` runs on a copy of the simulation; errors are `metav1.Status` bodies (`ApiError::to_status`).
//! - `exec.rs`: `pods/exec` over WebSocket (`v5.channel.k8s.io`), as kubectl 1.35 speaks it by default.
//!
//! **Time.** With `--speed X` virtual time follows the wall clock X times over. With `--manual` it moves only when
//! told (`POST /kubeplay/v1/advance?by=30s`, which `kubeplay advance` sends), or when every open request is a watch
//! waiting for its next event and no event was sent for [`QUIET`]: then the cluster runs to its next timer, as
//! kubeplay's own `rollout status` does — so `kubectl rollout status` returns when the rollout is done, and a
//! scripted session is deterministic.
//!
//! One thread per request (a watch blocks only itself), one lock around the simulation. A watch writes a newline
//! (which JSON stream decoders skip) while it waits, so a client that went away is noticed and stops counting as a
//! waiting watch.

mod discovery;
mod exec;
mod protobuf;
mod rest;

use crate::cluster::settings::{parse_duration, MAX_SLEEP_MS};
use crate::cluster::store::{Change, Kind, ObjRef};
use crate::cluster::Settings;
use crate::sim::Sim;
use serde_json::Value;
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The largest request body the API server reads (its default `MaxRequestBodyBytes`, 3 MiB).
pub const MAX_BODY: usize = 3 * 1024 * 1024;
/// How many changes the watch cache keeps; a watch from an older resourceVersion gets `410 Expired`.
const WATCH_CACHE: usize = 8192;
/// In manual time, how long every open request must have been a waiting watch, with nothing sent, before the cluster
/// runs to its next timer (time for a client to act on what it was sent and hang up).
pub const QUIET: Duration = Duration::from_millis(400);
/// How often a waiting watch checks that its client is still there.
const PROBE: Duration = Duration::from_millis(100);

/// How virtual time moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Time {
    /// Only when told (`kubeplay advance`), or when every open request is a waiting watch.
    Manual,
    /// Virtual time follows the wall clock this many times over.
    Speed(f64),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub address: IpAddr,
    pub port: u16,
    pub settings: Settings,
    pub time: Time,
}

/// One change as the watch cache keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Logged {
    pub rv: u64,
    pub change: Change,
    pub object: ObjRef,
    pub json: Value,
}

pub(crate) struct State {
    pub sim: Sim,
    /// The store's watch-log position read so far.
    cursor: usize,
    pub log: VecDeque<Logged>,
    /// Every change with a resourceVersion above this is in `log`.
    pub log_floor: u64,
    /// Requests being served, and how many of them are watches waiting for an event.
    open: usize,
    waiting: usize,
    last_sent: Instant,
    pub stopping: bool,
    address: SocketAddr,
}

impl State {
    /// A copy of the simulation to try something on and throw away (a dry run, whether an exec can start); it keeps
    /// no watch snapshots, as nothing watches it.
    pub fn scratch(&self) -> Sim {
        let mut copy = self.sim.clone();
        copy.keep_watch_snapshots(false);
        copy
    }

    /// Copies the simulation's new changes into the watch cache.
    pub fn sync(&mut self) {
        for ev in self.sim.changes_since(self.cursor) {
            let Some(json) = ev.snapshot else { continue };
            self.log.push_back(Logged { rv: ev.resource_version, change: ev.change, object: ev.object, json });
        }
        self.cursor = self.sim.cluster().store().watch_len();
        while self.log.len() > WATCH_CACHE {
            if let Some(first) = self.log.pop_front() {
                self.log_floor = first.rv;
            }
        }
    }
}

pub(crate) struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    time: Time,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// After a write: the watch cache takes the changes and waiting watches wake.
    pub fn changed(&self, state: &mut State) {
        state.sync();
        self.changed.notify_all();
    }

    /// Waits for a change (or `timeout`), counting this request as a waiting watch meanwhile.
    pub fn wait<'a>(&self, guard: MutexGuard<'a, State>, timeout: Duration) -> MutexGuard<'a, State> {
        let mut guard = guard;
        guard.waiting += 1;
        let (mut guard, _) = self.changed.wait_timeout(guard, timeout).unwrap_or_else(|e| e.into_inner());
        guard.waiting -= 1;
        guard
    }

    /// A watch sent an event.
    pub fn sent(&self, state: &mut State) {
        state.last_sent = Instant::now();
    }
}

/// A running `kubeplay cluster`.
pub struct Cluster {
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    pub address: SocketAddr,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Cluster {
    /// Binds the address and starts serving (a port of 0 picks a free one).
    pub fn start(options: &Options) -> Result<Cluster, String> {
        let bind = SocketAddr::new(options.address, options.port);
        let http = tiny_http::Server::http(bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let address = http.server_addr().to_ip().ok_or("the server has no IP address")?;
        let mut sim = Sim::new(options.settings.clone());
        sim.keep_watch_snapshots(true);
        let mut state = State {
            sim,
            cursor: 0,
            log: VecDeque::new(),
            log_floor: 0,
            open: 0,
            waiting: 0,
            last_sent: Instant::now(),
            stopping: false,
            address,
        };
        state.sync();
        state.log.clear();
        state.log_floor = state.sim.cluster().store().resource_version();
        let shared = Arc::new(Shared { state: Mutex::new(state), changed: Condvar::new(), time: options.time });
        let http = Arc::new(http);
        let mut threads = Vec::new();
        {
            let (shared, http) = (shared.clone(), http.clone());
            threads.push(std::thread::spawn(move || accept(&shared, &http)));
        }
        {
            let shared = shared.clone();
            threads.push(std::thread::spawn(move || clock(&shared)));
        }
        Ok(Cluster { shared, http, address, threads })
    }

    /// The server's URL (`http://127.0.0.1:6443`).
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops serving: open watches end, the threads finish.
    pub fn stop(mut self) {
        self.shared.lock().stopping = true;
        self.shared.changed.notify_all();
        self.http.unblock();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Runs `f` on the simulation (tests read it; a write should be followed by nothing else: watches are told).
    pub fn with_sim<R>(&self, f: impl FnOnce(&mut Sim) -> R) -> R {
        let mut state = self.shared.lock();
        let r = f(&mut state.sim);
        self.shared.changed(&mut state);
        r
    }
}

/// A kubeconfig for a server at `url` (context `kubeplay`, namespace `default`, no credentials).
pub fn kubeconfig(url: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: kubeplay\n  cluster:\n    server: {url}\ncontexts:\n- name: kubeplay\n  \
         context:\n    cluster: kubeplay\n    user: kubeplay\n    namespace: default\ncurrent-context: kubeplay\nusers:\n- name: \
         kubeplay\n  user: {{}}\n"
    )
}

/// The server URL of a kubeconfig's current context (what `kubeplay advance` talks to).
pub fn server_of_kubeconfig(text: &str) -> Option<String> {
    // The files kubeplay writes have one cluster; for others, the first `server:` is the best guess.
    text.lines().find_map(|l| l.trim().strip_prefix("server:")).map(|s| s.trim().trim_matches('"').to_string())
}

fn accept(shared: &Arc<Shared>, http: &Arc<tiny_http::Server>) {
    loop {
        let request = match http.recv() {
            Ok(r) => r,
            Err(_) => break,
        };
        if shared.lock().stopping {
            break;
        }
        let shared = shared.clone();
        std::thread::spawn(move || {
            shared.lock().open += 1;
            let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| serve(&shared, request)));
            let mut state = shared.lock();
            state.open -= 1;
            if served.is_err() {
                eprintln!("kubeplay cluster: a request failed inside the server (a bug); the cluster goes on");
            }
        });
    }
}

/// Moves virtual time: with the wall clock (`--speed`), or to the next timer when every open request is a watch
/// that waits (`--manual`).
fn clock(shared: &Arc<Shared>) {
    let start = Instant::now();
    let start_virtual = shared.lock().sim.now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let mut state = shared.lock();
        if state.stopping {
            return;
        }
        match shared.time {
            Time::Speed(x) => {
                let target = start_virtual + (start.elapsed().as_millis() as f64 * x) as u64;
                if target > state.sim.now() {
                    state.sim.run_until(target);
                    shared.changed(&mut state);
                }
            }
            Time::Manual => {
                let idle_watches = state.open > 0 && state.open == state.waiting;
                if idle_watches && state.last_sent.elapsed() >= QUIET {
                    if let Some(due) = state.sim.next_due() {
                        let now = state.sim.now();
                        state.sim.run_until(due.max(now));
                        state.last_sent = Instant::now();
                        shared.changed(&mut state);
                    }
                }
            }
        }
    }
}

/// A request as the handlers see it.
pub(crate) struct Req {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn params(&self, name: &str) -> Vec<&str> {
        self.query.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Writes a streamed answer's body (a watch).
pub(crate) type Streamer = Box<dyn FnOnce(&mut dyn Write) + Send>;
/// Talks on an upgraded connection (exec's WebSocket).
pub(crate) type Upgraded = Box<dyn FnOnce(&mut dyn exec::ReadWrite) + Send>;

/// What a handler answers.
pub(crate) enum Reply {
    Json(u16, Value),
    Text(u16, String),
    /// A watch: the handler streams it itself.
    Stream(Streamer),
    /// An answer with `Warning` headers (`299 - "text"`), which kubectl prints as `Warning: text`.
    Warned(Vec<String>, Box<Reply>),
    /// A WebSocket upgrade (`kubectl exec`): the handler talks on the upgraded connection.
    Upgrade(String, String, Upgraded),
}

fn serve(shared: &Arc<Shared>, mut request: tiny_http::Request) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query: Vec<(String, String)> = query
        .split('&')
        .filter(|q| !q.is_empty())
        .map(|q| {
            let (k, v) = q.split_once('=').unwrap_or((q, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().as_str().to_string(), h.value.as_str().to_string()))
        .collect();
    let method = request.method().as_str().to_string();
    let mut body = Vec::new();
    // An upgrade request's reader is the connection itself: it has no body to read.
    let upgrade = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("Upgrade"));
    let too_large = request.body_length().is_some_and(|n| n > MAX_BODY)
        || !upgrade && {
            let reader = request.as_reader();
            reader.take(MAX_BODY as u64 + 1).read_to_end(&mut body).is_err() || body.len() > MAX_BODY
        };
    let req = Req { method, path: percent_decode(path), query, headers, body };
    let reply = if too_large {
        Reply::Json(
            413,
            status(413, "RequestEntityTooLarge", &format!("Request entity too large: limit is {MAX_BODY}")),
        )
    } else {
        route(shared, &req)
    };
    let mut reply = reply;
    let mut warnings = Vec::new();
    while let Reply::Warned(w, inner) = reply {
        warnings.extend(w);
        reply = *inner;
    }
    // RFC 7234's warn-text is a quoted string: kubectl unquotes it.
    let warning_values: Vec<String> =
        warnings.iter().map(|w| format!("299 - \"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    let respond = |request: tiny_http::Request, code: u16, body: String, content_type: &str| {
        let mut response = tiny_http::Response::from_data(body.into_bytes())
            .with_status_code(code)
            .with_header(header("Content-Type", content_type));
        for w in &warning_values {
            response.add_header(header("Warning", w));
        }
        let _ = request.respond(response);
    };
    match reply {
        Reply::Json(code, v) => {
            respond(request, code, serde_json::to_string(&v).unwrap_or_default(), "application/json")
        }
        Reply::Text(code, text) => respond(request, code, text, "text/plain; charset=utf-8"),
        Reply::Warned(..) => {}
        Reply::Stream(f) => {
            let mut w = request.into_writer();
            let warning_lines: String = warning_values.iter().map(|v| format!("Warning: {v}\r\n")).collect();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n{warning_lines}\
                 Connection: close\r\n\r\n"
            );
            if w.write_all(head.as_bytes()).and_then(|_| w.flush()).is_ok() {
                let mut chunked = Chunked(w);
                f(&mut chunked);
                let _ = chunked.0.write_all(b"0\r\n\r\n").and_then(|_| chunked.0.flush());
            }
        }
        Reply::Upgrade(protocol, accept, f) => {
            let response = tiny_http::Response::empty(101)
                .with_header(header("Sec-WebSocket-Accept", &accept))
                .with_header(header("Sec-WebSocket-Protocol", &protocol));
            let mut stream = request.upgrade("websocket", response);
            f(&mut stream);
        }
    }
}

/// A chunked-encoding writer that sends each write as one chunk at once.
struct Chunked(Box<dyn Write + Send>);

impl Write for Chunked {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        write!(self.0, "{:x}\r\n", buf.len())?;
        self.0.write_all(buf)?;
        self.0.write_all(b"\r\n")?;
        self.0.flush()?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    // Both are ASCII constants or values we built; a failure leaves the header out rather than panicking.
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| tiny_http::Header::from_bytes(&b"X-Kubeplay"[..], &b"bad-header"[..]).expect("ASCII"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A `metav1.Status` failure body with no details object of a kind.
pub(crate) fn status(code: u16, reason: &str, message: &str) -> Value {
    serde_json::json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "details": {}, "code": code,
    })
}

fn route(shared: &Arc<Shared>, req: &Req) -> Reply {
    let segs: Vec<&str> = req.path.split('/').filter(|s| !s.is_empty()).collect();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["version"]) => Reply::Json(200, discovery::version()),
        ("GET", ["api"]) => Reply::Json(200, discovery::core_versions(&shared.lock().address)),
        ("GET", ["apis"]) => Reply::Json(200, discovery::groups()),
        ("GET", ["openapi", "v3"]) => Reply::Json(200, discovery::openapi_index()),
        ("GET", ["openapi", "v3", "api", "v1"]) => Reply::Json(200, discovery::openapi_group("").unwrap_or_default()),
        ("GET", ["openapi", "v3", "apis", group, "v1"]) => match discovery::openapi_group(group) {
            Some(doc) => Reply::Json(200, doc),
            None => Reply::Text(404, "404 page not found\n".into()),
        },
        ("GET", ["healthz" | "livez" | "readyz"]) => Reply::Text(200, "ok".into()),
        ("POST", ["kubeplay", "v1", "advance"]) => advance(shared, req),
        ("GET", ["kubeplay", "v1", "now"]) => {
            let state = shared.lock();
            Reply::Json(200, serde_json::json!({ "now": now_json(&state.sim) }))
        }
        ("GET", ["apis", "coordination.k8s.io", "v1", "namespaces", "kube-node-lease", "leases", name]) => {
            node_lease(&shared.lock().sim, name)
        }
        (_, ["api", "v1", rest @ ..]) => resource(shared, req, "", rest),
        (_, ["apis", group, "v1", rest @ ..]) if discovery::served_group(group) => resource(shared, req, group, rest),
        _ => Reply::Text(404, "404 page not found\n".into()),
    }
}

fn resource(shared: &Arc<Shared>, req: &Req, group: &str, rest: &[&str]) -> Reply {
    if rest.is_empty() {
        return match req.method.as_str() {
            "GET" => Reply::Json(200, discovery::resources(group)),
            _ => Reply::Json(
                405,
                status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"),
            ),
        };
    }
    let (namespace, rest) = match rest {
        ["namespaces", ns, resource, more @ ..] => (Some(*ns), {
            let mut v = vec![*resource];
            v.extend_from_slice(more);
            v
        }),
        _ => (None, rest.to_vec()),
    };
    let Some(kind) = discovery::kind_of(group, rest[0]) else {
        return Reply::Json(404, status(404, "NotFound", "the server could not find the requested resource"));
    };
    if namespace.is_some() && !kind.namespaced() {
        return Reply::Json(404, status(404, "NotFound", "the server could not find the requested resource"));
    }
    let target = Target {
        kind,
        namespace: namespace.map(str::to_string),
        name: rest.get(1).map(|s| s.to_string()),
        sub: rest.get(2).map(|s| s.to_string()),
    };
    if rest.len() > 3 {
        return Reply::Json(404, status(404, "NotFound", "the server could not find the requested resource"));
    }
    let reply = rest::handle(shared, req, &target);
    if kind == Kind::Endpoints {
        // The API server's deprecation warning for v1 Endpoints (Kubernetes 1.33 and later).
        return Reply::Warned(
            vec!["v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice".into()],
            Box::new(reply),
        );
    }
    reply
}

/// A node's Lease in `kube-node-lease`, which kubeplay does not store: the kubelet's heartbeat, as `describe node`
/// reads it (not listed in discovery, as kubeplay does not otherwise serve the coordination group).
fn node_lease(sim: &Sim, name: &str) -> Reply {
    let Some(node) = sim.cluster().get::<crate::api::Node>(&ObjRef::new(Kind::Node, "", name)) else {
        let mut body = status(404, "NotFound", &format!("leases.coordination.k8s.io {name:?} not found"));
        body["details"] = serde_json::json!({ "name": name, "group": "coordination.k8s.io", "kind": "leases" });
        return Reply::Json(404, body);
    };
    let renewed = crate::api::node_lease_renewed(node, sim.now());
    let micro = |ms| {
        let t = serde_json::to_value(crate::api::time::time_at(ms)).unwrap_or(Value::Null);
        Value::String(t.as_str().unwrap_or_default().replace('Z', ".000000Z"))
    };
    Reply::Json(
        200,
        serde_json::json!({
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": { "name": name, "namespace": "kube-node-lease",
                          "creationTimestamp": node.metadata.creation_timestamp,
                          "ownerReferences": [{ "apiVersion": "v1", "kind": "Node", "name": name, "uid": node.metadata.uid }] },
            "spec": { "holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": micro(renewed) },
        }),
    )
}

fn advance(shared: &Arc<Shared>, req: &Req) -> Reply {
    let by = req.param("by").unwrap_or("");
    let Some(ms) = parse_duration(by) else {
        return Reply::Json(400, status(400, "BadRequest", &format!("advance wants a duration (30s, 2m), not {by:?}")));
    };
    if ms > MAX_SLEEP_MS {
        return Reply::Json(
            400,
            status(
                400,
                "BadRequest",
                &format!("advance moves at most {} at a time", crate::api::time::go_duration(MAX_SLEEP_MS)),
            ),
        );
    }
    let mut state = shared.lock();
    state.sim.advance(ms);
    shared.changed(&mut state);
    Reply::Json(200, serde_json::json!({ "now": now_json(&state.sim) }))
}

/// Sends `POST /kubeplay/v1/advance?by=DURATION` to the cluster at `server` (`kubeplay advance`). Plain HTTP/1.1 over
/// a socket: the native client needs nothing more.
pub fn request_advance(server: &str, by: &str) -> Result<String, String> {
    let hostport = server
        .strip_prefix("http://")
        .ok_or_else(|| format!("kubeplay advance speaks plain HTTP; the server is {server}"))?;
    let hostport = hostport.trim_end_matches('/');
    let mut s =
        std::net::TcpStream::connect(hostport).map_err(|e| format!("cannot reach the cluster at {server}: {e}"))?;
    let by = by.replace('%', "%25").replace('&', "%26").replace(' ', "%20");
    write!(s, "POST /kubeplay/v1/advance?by={by} HTTP/1.1\r\nHost: {hostport}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let ok = head.starts_with("HTTP/1.1 200");
    let v: Value = serde_json::from_str(body.trim()).unwrap_or(Value::Null);
    if ok {
        Ok(v["now"].as_str().unwrap_or_default().to_string())
    } else {
        Err(v["message"].as_str().map(str::to_string).unwrap_or_else(|| head.lines().next().unwrap_or("").to_string()))
    }
}

/// Where the kubeconfig goes when `--kubeconfig` is not given.
pub fn default_kubeconfig_path() -> PathBuf {
    std::env::temp_dir().join("kubeplay").join("kubeconfig")
}

fn now_json(sim: &Sim) -> Value {
    serde_json::to_value(crate::api::time::time_at(sim.now())).unwrap_or(Value::Null)
}

/// What a request's path names.
pub(crate) struct Target {
    pub kind: Kind,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub sub: Option<String>,
}

/// kubeplay's kubectl words a server refusal `Error from server (Reason): message`; this reads it back into the
/// Status the server sends.
pub(crate) fn server_error(stderr: &str) -> Reply {
    let first = stderr.lines().next().unwrap_or("");
    let (reason, message) = first
        .strip_prefix("Error from server (")
        .and_then(|r| r.split_once("): "))
        .unwrap_or(("BadRequest", first.strip_prefix("error: ").unwrap_or(first)));
    let code = match reason {
        "NotFound" => 404,
        "Conflict" | "AlreadyExists" => 409,
        "Invalid" => 422,
        _ => 400,
    };
    Reply::Json(code, status(code, reason, message))
}
