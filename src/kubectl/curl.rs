//! The network tools a learner types: `curl` (on the workstation and in pods), `wget` (busybox), and `nslookup`,
//! over the simulated data path (`crate::net`). Output and error messages are the tools' own; two generations of
//! curl differ in their error wording: 7.47 (Ubuntu 16.04, the book's `alicek106/ubuntu:curl`) and 7.88+ / 8.x
//! (Debian 12 images and the workstation).

use crate::api::time::go_duration;
use crate::cluster::clock::Millis;
use crate::net::client::{self, Exchange, Resolution, TlsError, Url};
use crate::net::dns::Answer;
use crate::net::{Failure, Origin, Outcome};
use crate::sim::Sim;

/// Which curl answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curl {
    /// curl 7.47.0 (Ubuntu 16.04).
    Old,
    /// curl 7.88.1 (Debian 12).
    Debian,
    /// curl 8.5.0 (the workstation: Ubuntu 24.04).
    New,
}

impl Curl {
    fn version(self) -> &'static str {
        match self {
            Curl::Old => "7.47.0",
            Curl::Debian => "7.88.1",
            Curl::New => "8.5.0",
        }
    }
}

/// What a tool printed, how it ended, and how long it took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ran {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    pub took: Millis,
}

const TRY_HELP: &str = "curl: try 'curl --help' or 'curl --manual' for more information\n";

#[derive(Debug, Default)]
struct CurlArgs {
    urls: Vec<String>,
    silent: bool,
    show_error: bool,
    include: bool,
    head: bool,
    verbose: bool,
    insecure: bool,
    fail: bool,
    discard: bool,
    write_out: Option<String>,
    max_time: Option<Millis>,
    method: Option<String>,
    host_header: Option<String>,
    user_agent: Option<String>,
}

fn seconds(v: &str) -> Option<Millis> {
    v.parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(|s| (s.min(86_400.0) * 1000.0) as Millis)
}

/// curl's short options and the long ones they stand for.
const SHORT: &[(char, &str)] = &[
    ('s', "--silent"),
    ('S', "--show-error"),
    ('i', "--include"),
    ('I', "--head"),
    ('v', "--verbose"),
    ('k', "--insecure"),
    ('f', "--fail"),
    ('L', "--location"),
    ('m', "--max-time"),
    ('o', "--output"),
    ('w', "--write-out"),
    ('X', "--request"),
    ('H', "--header"),
    ('A', "--user-agent"),
];

/// The options that take a value.
const TAKES_VALUE: &[&str] =
    &["--max-time", "--connect-timeout", "--output", "--write-out", "--request", "--header", "--user-agent"];

fn bad(msg: String) -> Ran {
    Ran { stderr: format!("{msg}{TRY_HELP}"), code: 2, ..Ran::default() }
}

/// Sets one option (`long` is its long name, `shown` how it was written) on the parsed arguments.
fn set(a: &mut CurlArgs, shown: &str, long: &str, value: String) -> Result<(), Ran> {
    match long {
        "--silent" => a.silent = true,
        "--show-error" => a.show_error = true,
        "--include" => a.include = true,
        "--head" => a.head = true,
        "--verbose" => a.verbose = true,
        "--insecure" => a.insecure = true,
        "--fail" => a.fail = true,
        "--location" | "--compressed" | "--no-keepalive" | "--http1.1" => {}
        "--max-time" | "--connect-timeout" => {
            let ms = seconds(&value)
                .ok_or_else(|| bad(format!("curl: option {shown}: expected a proper numerical parameter\n")))?;
            a.max_time = Some(ms);
        }
        "--output" => a.discard = !value.is_empty(),
        "--write-out" => a.write_out = Some(value),
        "--request" => a.method = Some(value),
        "--header" => {
            if let Some(v) = value.strip_prefix("Host:").or_else(|| value.strip_prefix("host:")) {
                a.host_header = Some(v.trim().to_string());
            }
        }
        "--user-agent" => a.user_agent = Some(value),
        _ => return Err(bad(format!("curl: option {shown}: is unknown\n"))),
    }
    Ok(())
}

fn parse(args: &[String]) -> Result<CurlArgs, Ran> {
    let mut a = CurlArgs::default();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        if w == "--" {
            a.urls.extend(args[i..].iter().cloned());
            break;
        }
        // (how the option was written, its long name, a value written in the same word)
        let mut options: Vec<(String, &str, Option<String>)> = Vec::new();
        if w.starts_with("--") {
            options.push((w.clone(), w.as_str(), None));
        } else if w.starts_with('-') && w.len() > 1 {
            let chars: Vec<char> = w[1..].chars().collect();
            for (k, ch) in chars.iter().enumerate() {
                let Some(&(_, long)) = SHORT.iter().find(|(c, _)| c == ch) else {
                    return Err(bad(format!("curl: option -{ch}: is unknown\n")));
                };
                // A short option with a value takes the rest of the word, or the next word.
                let rest: String = chars[k + 1..].iter().collect();
                let takes = TAKES_VALUE.contains(&long);
                options.push((format!("-{ch}"), long, (takes && !rest.is_empty()).then_some(rest)));
                if takes {
                    break;
                }
            }
        } else {
            a.urls.push(w.clone());
            continue;
        }
        for (shown, long, inline) in options {
            let value = match inline {
                Some(v) => v,
                None if TAKES_VALUE.contains(&long) => {
                    let v = args.get(i).cloned();
                    i += 1;
                    v.ok_or_else(|| bad(format!("curl: option {shown}: requires parameter\n")))?
                }
                None => String::new(),
            };
            set(&mut a, &shown, long, value)?;
        }
    }
    if a.urls.is_empty() {
        return Err(bad("curl: no URL specified!\n".into()));
    }
    if a.urls.len() > 100 {
        return Err(bad("curl: kubeplay sends at most 100 URLs per command\n".into()));
    }
    Ok(a)
}

/// curl's progress meter size column: bytes, then `k` and `M` in four digits.
fn size(n: u64) -> String {
    if n < 100_000 {
        n.to_string()
    } else if n < 10_000 * 1024 {
        format!("{}k", n / 1024)
    } else {
        format!("{}M", n / 1024 / 1024)
    }
}

fn clock(ms: Millis) -> String {
    if ms < 1000 {
        "--:--:--".into()
    } else {
        let s = ms / 1000;
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

/// The progress meter curl writes to standard error when its output is not a terminal.
fn meter(received: u64, took: Millis) -> String {
    let pct = if received > 0 { 100 } else { 0 };
    let speed = if received > 0 { size(received * 1000 / took.max(1)) } else { "0".into() };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n{pct:>3} {:>5}  {pct:>3} {:>5}    0     0  {speed:>5}      0 --:--:-- {:>8} --:--:-- {speed:>5}\n",
        size(received),
        size(received),
        clock(took)
    )
}

/// `curl ARGS…` from `origin`. `tty`: standard output is a terminal (no progress meter).
pub fn curl(sim: &mut Sim, origin: &Origin, args: &[String], tty: bool, flavour: Curl) -> Ran {
    let a = match parse(args) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let mut out = Ran::default();
    for text in &a.urls {
        let r = one(sim, origin, &a, text, tty, flavour);
        out.stdout.push_str(&r.stdout);
        out.stderr.push_str(&r.stderr);
        out.took += r.took;
        out.code = r.code;
    }
    out
}

fn one(sim: &mut Sim, origin: &Origin, a: &CurlArgs, text: &str, tty: bool, flavour: Curl) -> Ran {
    let mut r = Ran::default();
    let errors = !a.silent || a.show_error;
    let url = match Url::parse(text) {
        Ok(u) => u,
        Err(e) => {
            r.code = if e.starts_with("Protocol") { 1 } else { 3 };
            if errors {
                r.stderr = format!("curl: ({}) {e}\n", r.code);
            }
            return r;
        }
    };
    let opts = client::Options {
        method: a.method.clone().unwrap_or_else(|| if a.head { "HEAD".into() } else { "GET".into() }),
        user_agent: a.user_agent.clone().unwrap_or_else(|| format!("curl/{}", flavour.version())),
        timeout_ms: a.max_time,
        insecure: a.insecure,
        host_header: a.host_header.clone(),
    };
    let ex = sim.request(origin, url.clone(), &opts);
    r.took = ex.record.latency_ms;
    let meter_on = !tty && !a.silent;
    let received = ex.response.as_ref().map_or(0, |res| res.body.len() as u64);
    if meter_on {
        r.stderr.push_str(&meter(received, r.took));
    }
    if a.verbose {
        r.stderr.push_str(&verbose_head(&ex, &opts, flavour));
    }
    if let Some(res) = &ex.response {
        if a.fail && res.status >= 400 {
            r.code = 22;
            if errors {
                r.stderr.push_str(&match flavour {
                    Curl::Old => {
                        format!("curl: (22) The requested URL returned error: {} {}\n", res.status, res.reason)
                    }
                    _ => format!("curl: (22) The requested URL returned error: {}\n", res.status),
                });
            }
            return r;
        }
        let status_line = format!("HTTP/1.1 {} {}", res.status, res.reason);
        if a.verbose {
            r.stderr.push_str(&format!("< {status_line}\r\n"));
            for (k, v) in &res.headers {
                r.stderr.push_str(&format!("< {k}: {v}\r\n"));
            }
            r.stderr.push_str("< \r\n");
        }
        if (a.include || a.head) && !a.discard {
            r.stdout.push_str(&format!("{status_line}\r\n"));
            for (k, v) in &res.headers {
                r.stdout.push_str(&format!("{k}: {v}\r\n"));
            }
            r.stdout.push_str("\r\n");
        }
        if !a.discard {
            r.stdout.push_str(&res.body);
        }
        if a.verbose {
            r.stderr.push_str(&format!("* Connection #0 to host {} left intact\n", url.host));
        }
        if let Some(w) = &a.write_out {
            r.stdout.push_str(&write_out(w, &ex, res.status));
        }
        return r;
    }
    let (code, msg) = failure(&ex, flavour);
    r.code = code;
    if errors {
        r.stderr.push_str(&format!("curl: ({code}) {msg}\n"));
        if code == 60 {
            r.stderr.push_str("More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n");
        }
    }
    if let Some(w) = &a.write_out {
        r.stdout.push_str(&write_out(w, &ex, 0));
    }
    r
}

fn write_out(format: &str, ex: &Exchange, status: u16) -> String {
    format
        .replace("%{http_code}", &format!("{status:03}"))
        .replace("%{response_code}", &format!("{status:03}"))
        .replace("%{remote_ip}", ex.ip.as_deref().unwrap_or(""))
        .replace("%{time_total}", &format!("{:.6}", ex.record.latency_ms as f64 / 1000.0))
        .replace("\\n", "\n")
}

fn verbose_head(ex: &Exchange, opts: &client::Options, flavour: Curl) -> String {
    let Some(ip) = &ex.ip else { return String::new() };
    let url = &ex.url;
    let mut s = match flavour {
        // curl 7.47 says how it completed the URL, and tries the address without its port.
        Curl::Old => {
            let rebuilt =
                if ex.url.explicit_path { String::new() } else { format!("* Rebuilt URL to: {}/\n", ex.url.written) };
            format!("{rebuilt}*   Trying {ip}...\n")
        }
        _ => format!("*   Trying {ip}:{}...\n", url.port),
    };
    if ex.response.is_none() && ex.tls_error.is_none() {
        return s;
    }
    s.push_str(&match flavour {
        Curl::New => format!("* Connected to {} ({ip}) port {}\n", url.host, url.port),
        _ => format!("* Connected to {} ({ip}) port {} (#0)\n", url.host, url.port),
    });
    if ex.tls_error.is_some() {
        return s;
    }
    s.push_str(&format!(
        "> {} {} HTTP/1.1\r\n> Host: {}\r\n> User-Agent: {}\r\n> Accept: */*\r\n> \r\n",
        opts.method,
        url.path,
        opts.host_header.clone().unwrap_or_else(|| url.host_header()),
        opts.user_agent
    ));
    s
}

/// curl's exit code and message for a request that got no HTTP answer.
fn failure(ex: &Exchange, flavour: Curl) -> (i32, String) {
    let url = &ex.url;
    let (host, port) = (&url.host, url.port);
    let took = ex.record.latency_ms;
    match ex.tls_error {
        Some(TlsError::UntrustedCertificate) => {
            return (60, "SSL certificate problem: unable to get local issuer certificate".into());
        }
        Some(TlsError::WrongVersionNumber) => {
            return (
                35,
                match flavour {
                    Curl::Old => "error:1408F10B:SSL routines:SSL3_GET_RECORD:wrong version number".into(),
                    _ => "OpenSSL/3.0.15: error:0A00010B:SSL routines::wrong version number".into(),
                },
            );
        }
        None => {}
    }
    if matches!(ex.resolution, Resolution::Outside | Resolution::NoServer)
        || matches!(&ex.resolution, Resolution::Dns(d) if !matches!(d.answer, Answer::A(_)))
    {
        if ex.record.outcome == Outcome::Failed(Failure::TimedOut) {
            return (28, format!("Resolving timed out after {took} milliseconds"));
        }
        return (6, format!("Could not resolve host: {host}"));
    }
    let target = host;
    match (ex.record.outcome, flavour) {
        (Outcome::Failed(Failure::Refused), Curl::Old) => {
            (7, format!("Failed to connect to {target} port {port}: Connection refused"))
        }
        (Outcome::Failed(Failure::Refused), _) => {
            (7, format!("Failed to connect to {target} port {port} after {took} ms: Couldn't connect to server"))
        }
        (Outcome::Failed(Failure::NoRoute), Curl::Old) => {
            (7, format!("Failed to connect to {target} port {port}: No route to host"))
        }
        (Outcome::Failed(Failure::NoRoute), _) => {
            (7, format!("Failed to connect to {target} port {port} after {took} ms: Couldn't connect to server"))
        }
        (_, Curl::Old) => {
            if ex.record.latency_ms >= crate::net::KERNEL_CONNECT_TIMEOUT_MS {
                (7, format!("Failed to connect to {target} port {port}: Connection timed out"))
            } else {
                (28, format!("Connection timed out after {took} milliseconds"))
            }
        }
        _ => {
            if ex.record.latency_ms >= crate::net::KERNEL_CONNECT_TIMEOUT_MS {
                (28, format!("Failed to connect to {target} port {port} after {took} ms: Couldn't connect to server"))
            } else {
                (28, format!("Failed to connect to {target} port {port} after {took} ms: Timeout was reached"))
            }
        }
    }
}

/// busybox `wget [-q] [-O FILE] [-T SEC] URL`.
pub fn wget(sim: &mut Sim, origin: &Origin, args: &[String]) -> Ran {
    let mut quiet = false;
    let mut to_stdout = false;
    let mut timeout = None;
    let mut urls = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-q" => quiet = true,
            "-qO-" | "-O-" => {
                quiet |= args[i] == "-qO-";
                to_stdout = true;
            }
            "-O" => {
                i += 1;
                to_stdout = args.get(i).map(String::as_str) == Some("-");
            }
            "-T" => {
                i += 1;
                timeout = args.get(i).and_then(|v| seconds(v));
            }
            "--spider" | "-S" => {}
            s if s.starts_with('-') => {
                return Ran {
                    stderr: format!(
                        "wget: unrecognized option: {}\nBusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n",
                        s.trim_start_matches('-')
                    ),
                    code: 1,
                    ..Ran::default()
                };
            }
            u => urls.push(u.to_string()),
        }
        i += 1;
    }
    let Some(text) = urls.first() else {
        return Ran { stderr: "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n".into(), code: 1, ..Ran::default() };
    };
    let url = match Url::parse(text) {
        Ok(u) => u,
        Err(_) => return Ran { stderr: format!("wget: bad address '{text}'\n"), code: 1, ..Ran::default() },
    };
    let opts = client::Options { user_agent: "Wget".into(), timeout_ms: timeout, ..client::Options::default() };
    let ex = sim.request(origin, url.clone(), &opts);
    let mut r = Ran { took: ex.record.latency_ms, ..Ran::default() };
    if !quiet {
        r.stderr.push_str(&format!(
            "Connecting to {} ({}:{})\n",
            url.host_header(),
            ex.ip.clone().unwrap_or_default(),
            url.port
        ));
    }
    match (&ex.response, ex.record.outcome) {
        (Some(res), _) if res.status < 400 => {
            if to_stdout {
                r.stdout.push_str(&res.body);
            } else if !quiet {
                r.stderr.push_str(&format!(
                    "saving to 'index.html'\nindex.html           100% |********************************| {:>5}  0:00:00 ETA\n'index.html' saved\n",
                    res.body.len()
                ));
            }
        }
        (Some(res), _) => {
            r.stderr.push_str(&format!("wget: server returned error: HTTP/1.1 {} {}\n", res.status, res.reason));
            r.code = 1;
        }
        (None, Outcome::Failed(Failure::Unresolved)) => {
            r.stderr = format!("wget: bad address '{}'\n", url.host_header());
            r.code = 1;
        }
        (None, Outcome::Failed(Failure::Refused)) => {
            r.stderr.push_str(&format!(
                "wget: can't connect to remote host ({}): Connection refused\n",
                ex.ip.unwrap_or_default()
            ));
            r.code = 1;
        }
        (None, Outcome::Failed(Failure::NoRoute)) => {
            r.stderr.push_str(&format!(
                "wget: can't connect to remote host ({}): Host is unreachable\n",
                ex.ip.unwrap_or_default()
            ));
            r.code = 1;
        }
        (None, _) => {
            r.stderr.push_str("wget: download timed out\n");
            r.code = 1;
        }
    }
    r
}

/// `nslookup NAME` on the workstation: its resolver (systemd-resolved) knows no cluster names, and kubeplay's
/// workstation has no other network to ask.
pub fn nslookup_outside(args: &[String]) -> Ran {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        return Ran {
            stderr: "nslookup: interactive mode is not simulated by kubeplay; give a name\n".into(),
            code: 1,
            ..Ran::default()
        };
    };
    let mut r = Ran { stdout: "Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\n".into(), took: 1, ..Ran::default() };
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        r.stdout.push_str(&format!(
            "** server can't find {}.in-addr.arpa: NXDOMAIN\n\n",
            name.split('.').rev().collect::<Vec<_>>().join(".")
        ));
    } else {
        r.stdout.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
    }
    r.code = 1;
    r
}

/// `nslookup NAME` in a pod: bind's format, or busybox's.
pub fn nslookup(sim: &mut Sim, pod: &crate::cluster::store::ObjRef, args: &[String], busybox: bool) -> Ran {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        return Ran {
            stderr: if busybox {
                "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n".into()
            } else {
                "nslookup: interactive mode is not simulated by kubeplay; give a name\n".into()
            },
            code: 1,
            ..Ran::default()
        };
    };
    let server = crate::cluster::bootstrap::DNS_SERVICE_IP;
    let header = if busybox {
        format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n")
    } else {
        format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n")
    };
    let Some(resolved) = sim.resolve(pod, name) else {
        return Ran {
            stdout: if busybox {
                String::new()
            } else {
                ";; connection timed out; no servers could be reached\n\n".into()
            },
            stderr: if busybox {
                format!("nslookup: write to '{server}': Connection refused\n;; connection timed out; no servers could be reached\n\n")
            } else {
                String::new()
            },
            code: 1,
            took: crate::net::DNS_TIMEOUT_MS,
        };
    };
    let mut r = Ran { stdout: header, took: 1, ..Ran::default() };
    match &resolved.answer {
        Answer::A(ips) => {
            for ip in ips {
                r.stdout.push_str(&format!("Name:\t{}\nAddress: {ip}\n", resolved.name));
            }
            r.stdout.push('\n');
        }
        Answer::Cname(target) => {
            r.stdout.push_str(&format!("{}\tcanonical name = {target}.\n", resolved.name));
            r.stdout.push_str(&format!("** server can't find {target}: NXDOMAIN\n\n"));
            r.code = 1;
        }
        Answer::NoData => {
            r.stdout.push_str(&format!("*** Can't find {name}: No answer\n\n"));
            r.code = 1;
        }
        Answer::NxDomain => {
            r.stdout.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
            r.code = 1;
        }
    }
    r
}

/// The workstation's requests since request `since`, newest first.
fn sent_since(sim: &Sim, since: u64) -> impl Iterator<Item = &crate::net::Record> {
    sim.net.records.iter().rev().take_while(move |r| r.id >= since).filter(|r| r.origin == "workstation")
}

/// A curl that waits at least this long says first what it is waiting for.
const NOTICE_AFTER_MS: Millis = 1_000;

/// kubeplay's word before a workstation curl (its requests sent since request `since`) that takes `took` of virtual
/// time: what it is waiting for and when it gives up, so the clock does not jump in silence. Empty for a quick one.
/// `live`: the page's terminal, where the wait runs on the clock and Ctrl+C stops it.
pub fn wait_notice(sim: &Sim, since: u64, took: Millis, live: bool) -> String {
    if took < NOTICE_AFTER_MS {
        return String::new();
    }
    let Some(slowest) = sent_since(sim, since).max_by_key(|r| (r.latency_ms, std::cmp::Reverse(r.id))) else {
        return String::new();
    };
    use crate::net::Cause::*;
    let why = match slowest.cause {
        None => format!("the answer takes {}", go_duration(slowest.latency_ms)),
        Some(OutsideAddress) => format!(
            "ClusterIPs and Pod IPs exist only inside the cluster, so nothing on your workstation's network answers; \
             curl gives up after {}",
            go_duration(took)
        ),
        Some(NoLocalEndpoint) => format!(
            "the node has no endpoint of the Service (externalTrafficPolicy: Local) and drops the packet; curl \
             gives up after {}",
            go_duration(took)
        ),
        Some(Gone) => format!("nobody holds that address any more; curl gives up after {}", go_duration(took)),
        Some(_) => format!("nothing answers; curl gives up after {}", go_duration(took)),
    };
    let stop = if live { " (Ctrl+C stops it)" } else { "" };
    format!("{}curl is waiting for {}: {why}{stop}.\n", super::HINT_PREFIX, slowest.url)
}

/// kubeplay's hints after a curl from the workstation that cannot work from outside the cluster (sent since request
/// `since`): why, and the URLs that would answer from here. curl itself says little (`-s` says nothing); a ClusterIP
/// costs a connect timeout, which [`wait_notice`] explains before it.
pub fn outside_hints(sim: &Sim, since: u64) -> String {
    let mut causes: Vec<crate::net::Cause> = sent_since(sim, since).filter_map(|r| r.cause).collect();
    crate::util::sort(&mut causes);
    causes.dedup();
    let prefix = super::HINT_PREFIX;
    let mut out = String::new();
    let mut outside = false;
    for cause in causes {
        use crate::net::Cause::*;
        let why = match cause {
            OutsideName => "your workstation is outside the cluster, and its resolver knows no Service or Pod names",
            // Said before the wait, by `wait_notice`.
            OutsideAddress => "",
            NotANodePort => "no Service has that port as its NodePort",
            Localhost => {
                "localhost is your workstation itself, and nothing listens there (`kubectl port-forward deploy/NAME \
                 8080:80` would make localhost:8080 reach a pod)"
            }
            _ => continue,
        };
        outside = true;
        if !why.is_empty() {
            out.push_str(&format!("{prefix}{why}.\n"));
        }
    }
    if outside {
        let urls = crate::net::suggest::urls(sim.cluster(), &Origin::Workstation);
        let next = match urls.as_slice() {
            [] => "expose the Deployment with --type=NodePort (or LoadBalancer), or send from a pod".to_string(),
            some => format!("from here, try {}", some.iter().take(3).cloned().collect::<Vec<_>>().join(" or ")),
        };
        out.push_str(&format!("{prefix}{next}.\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(words: &[&str]) -> Result<CurlArgs, Ran> {
        parse(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn short_and_long_options_mean_the_same_and_take_values_as_curl_does() {
        let a = p(&["-sSm5", "-H", "Host: web", "-o/dev/null", "-w", "%{http_code}", "u"]).unwrap();
        assert!(a.silent && a.show_error && a.discard);
        assert_eq!(
            (a.max_time, a.host_header.as_deref(), a.write_out.as_deref()),
            (Some(5000), Some("web"), Some("%{http_code}"))
        );
        let b = p(&["--silent", "--show-error", "--max-time", "5", "--header", "Host: web", "--", "-u"]).unwrap();
        assert_eq!((b.silent, b.max_time, b.urls), (true, Some(5000), vec!["-u".to_string()]));
        let err = |w: &[&str]| p(w).err().map(|r| (r.code, r.stderr.lines().next().unwrap_or("").to_string()));
        assert_eq!(err(&["-z", "u"]), Some((2, "curl: option -z: is unknown".into())));
        assert_eq!(err(&["--zap", "u"]), Some((2, "curl: option --zap: is unknown".into())));
        assert_eq!(err(&["u", "-m"]), Some((2, "curl: option -m: requires parameter".into())));
        assert_eq!(
            err(&["--max-time", "x", "u"]),
            Some((2, "curl: option --max-time: expected a proper numerical parameter".into()))
        );
        assert_eq!(err(&["-s"]), Some((2, "curl: no URL specified!".into())));
    }
}
