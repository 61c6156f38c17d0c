//! An HTTP client's request from start to answer: URL, name resolution, connection, the server's response. `curl`,
//! the traffic generator and the UI all go through [`exchange`].

use super::http::{self, Response};
use super::{dns, Cause, Connection, Failure, Origin, Outcome, Path, Reached, Record};
use super::{DNS_TIMEOUT_MS, KERNEL_CONNECT_TIMEOUT_MS, NO_ROUTE_MS};
use crate::cluster::clock::Millis;
use std::net::Ipv4Addr;

/// A parsed `http://` or `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub https: bool,
    pub host: String,
    pub port: i32,
    /// Path and query, starting with `/`.
    pub path: String,
    /// Whether the port was written in the URL (the `Host` header carries it then).
    pub explicit_port: bool,
    /// Whether a path was written (curl 7.47 says when it adds the `/`).
    pub explicit_path: bool,
    /// The URL as written.
    pub written: String,
}

impl Url {
    /// Parses a URL as curl does: the scheme defaults to http, the port to the scheme's.
    pub fn parse(text: &str) -> Result<Url, String> {
        let (https, rest) = if let Some(r) = text.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = text.strip_prefix("http://") {
            (false, r)
        } else if let Some((scheme, _)) = text.split_once("://") {
            return Err(format!("Protocol \"{scheme}\" not supported"));
        } else {
            (false, text)
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let explicit_path = rest.contains(['/', '?']);
        let path = if path.starts_with('?') { format!("/{path}") } else { path };
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => {
                let port: i32 = p
                    .parse()
                    .ok()
                    .filter(|p| (0..=65535).contains(p))
                    .ok_or("URL rejected: Port number was not a decimal number between 0 and 65535")?;
                (h, Some(port))
            }
            None => (authority, None),
        };
        if host.is_empty()
            || host.len() > 253
            || !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err("URL rejected: No host part in the URL".into());
        }
        Ok(Url {
            https,
            host: host.to_ascii_lowercase(),
            port: port.unwrap_or(if https { 443 } else { 80 }),
            path,
            explicit_port: port.is_some(),
            explicit_path,
            written: text.to_string(),
        })
    }

    pub fn host_header(&self) -> String {
        if self.explicit_port {
            format!("{}:{}", self.host, self.port)
        } else {
            self.host.clone()
        }
    }
}

/// How the client resolved the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The host was an address.
    Literal,
    Dns(dns::Resolved),
    /// No DNS server answered.
    NoServer,
    /// The workstation's resolver does not know cluster names.
    Outside,
}

/// One request and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub url: Url,
    pub resolution: Resolution,
    /// The address connected to.
    pub ip: Option<String>,
    pub connection: Option<Connection>,
    pub response: Option<Response>,
    /// TLS to a server that speaks plain HTTP, or an untrusted certificate.
    pub tls_error: Option<TlsError>,
    /// The line the answering server writes to its access log.
    pub access_log: Option<String>,
    pub record: Record,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsError {
    /// The API server's certificate is signed by the cluster's own CA, which the client does not trust (`-k` skips).
    UntrustedCertificate,
    /// The server answered the TLS hello in plain HTTP.
    WrongVersionNumber,
}

/// What the client asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub method: String,
    pub user_agent: String,
    /// The client's overall limit (`--max-time` / `--connect-timeout`); `None`: the kernel's.
    pub timeout_ms: Option<Millis>,
    /// Skip certificate verification (`-k`).
    pub insecure: bool,
    pub host_header: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            method: "GET".into(),
            user_agent: "curl/8.5.0".into(),
            timeout_ms: None,
            insecure: false,
            host_header: None,
        }
    }
}

/// Sends one request. The record's latency is how long the client waited.
pub fn exchange(path: &mut Path<'_>, origin: &Origin, url: Url, opts: &Options) -> Exchange {
    let now = path.cluster.now();
    let limit = |ms: Millis| opts.timeout_ms.map_or(ms, |t| t.min(ms));
    let mut ex = Exchange {
        url: url.clone(),
        resolution: Resolution::Literal,
        ip: None,
        connection: None,
        response: None,
        tls_error: None,
        access_log: None,
        record: Record {
            id: 0,
            at: now,
            origin: origin.label(),
            url: format!("{}://{}{}", if url.https { "https" } else { "http" }, url.host_header(), url.path),
            hops: Vec::new(),
            endpoint: None,
            pod: None,
            replica_set: None,
            revision: None,
            outcome: Outcome::Failed(Failure::Unresolved),
            cause: None,
            latency_ms: 1,
            generator: None,
        },
    };
    // Name resolution.
    let ip = if url.host.parse::<Ipv4Addr>().is_ok() {
        url.host.clone()
    } else if url.host == "localhost" {
        match origin {
            Origin::Workstation => "127.0.0.1".into(),
            Origin::Pod(_) => path.source(origin).0,
        }
    } else {
        match origin {
            Origin::Workstation => {
                ex.resolution = Resolution::Outside;
                ex.record.cause = Some(Cause::OutsideName);
                return ex;
            }
            Origin::Pod(p) => {
                let node = path.source(origin).1.unwrap_or_default();
                if !path.dns_reachable(&node) {
                    ex.resolution = Resolution::NoServer;
                    ex.record.cause = Some(Cause::DnsDown);
                    ex.record.latency_ms = limit(DNS_TIMEOUT_MS);
                    if opts.timeout_ms.is_some_and(|t| t < DNS_TIMEOUT_MS) {
                        ex.record.outcome = Outcome::Failed(Failure::TimedOut);
                    }
                    return ex;
                }
                let resolved = dns::resolve(path.cluster, &p.namespace, &url.host);
                let first = match &resolved.answer {
                    dns::Answer::A(ips) => ips.first().cloned(),
                    dns::Answer::Cname(_) => {
                        ex.record.cause = Some(Cause::ExternalName);
                        None
                    }
                    dns::Answer::NoData => {
                        ex.record.cause = Some(Cause::NoAddress);
                        None
                    }
                    dns::Answer::NxDomain => {
                        ex.record.cause = Some(Cause::UnknownName);
                        None
                    }
                };
                ex.resolution = Resolution::Dns(resolved);
                match first {
                    Some(ip) => ip,
                    None => return ex,
                }
            }
        }
    };
    ex.ip = Some(ip.clone());
    // `localhost` on the workstation: a `kubectl port-forward`'s port, or nothing.
    let tunneled =
        ip == "127.0.0.1" && matches!(origin, Origin::Workstation) && path.forwards.iter().any(|f| f.local == url.port);
    let conn = if tunneled {
        path.forwarded(url.port)
    } else if ip == "127.0.0.1" {
        Connection { hops: Vec::new(), endpoint: None, result: Err(Failure::Refused), cause: Some(Cause::Localhost) }
    } else {
        path.connect(origin, &ip, url.port)
    };
    ex.record.hops = conn.hops.clone();
    ex.record.endpoint = conn.endpoint.clone();
    // `localhost` is the client itself (from a pod, its own address), whatever refused there.
    ex.record.cause =
        if url.host == "localhost" && !tunneled { conn.cause.map(|_| Cause::Localhost) } else { conn.cause };
    let hops = conn.hops.len() as Millis;
    let (outcome, latency) = match &conn.result {
        Err(Failure::TimedOut) => (Failure::TimedOut, limit(KERNEL_CONNECT_TIMEOUT_MS)),
        Err(Failure::NoRoute) => {
            if opts.timeout_ms.is_some_and(|t| t < NO_ROUTE_MS) {
                (Failure::TimedOut, limit(NO_ROUTE_MS))
            } else {
                (Failure::NoRoute, NO_ROUTE_MS)
            }
        }
        Err(f) => (*f, hops.max(1)),
        Ok(reached) => {
            let req = http::Request {
                method: opts.method.clone(),
                path: url.path.clone(),
                host: opts.host_header.clone().unwrap_or_else(|| url.host_header()),
                user_agent: opts.user_agent.clone(),
            };
            match reached {
                Reached::ApiServer => {
                    if !url.https {
                        // The API server answers plain HTTP on its TLS port with a 400.
                        let mut r = http::api_server(&req, now);
                        r.status = 400;
                        r.reason = "Bad Request";
                        r.body = "Client sent an HTTP request to an HTTPS server.\n".into();
                        ex.response = Some(r);
                    } else if !opts.insecure {
                        ex.tls_error = Some(TlsError::UntrustedCertificate);
                    } else {
                        ex.response = Some(http::api_server(&req, now));
                    }
                }
                Reached::Pod { answerer, client_ip } => {
                    let (rs, revision) = super::owner_revision(path.cluster, &answerer.pod);
                    ex.record.pod = Some(answerer.pod.name.clone());
                    ex.record.replica_set = rs;
                    ex.record.revision = revision;
                    if url.https {
                        ex.tls_error = Some(TlsError::WrongVersionNumber);
                    } else {
                        let hostname = path
                            .cluster
                            .get::<crate::api::Pod>(&answerer.pod)
                            .and_then(|p| p.spec.as_ref()?.hostname.clone())
                            .unwrap_or_else(|| answerer.pod.name.clone());
                        let server = http::Server { http: answerer.http, image: &answerer.image, hostname: &hostname };
                        let response = http::respond(&server, &req, now);
                        ex.access_log = http::access_log(&server, client_ip, &req, &response, now);
                        ex.response = Some(response);
                    }
                }
            }
            match &ex.response {
                Some(r) => {
                    ex.record.outcome = Outcome::Status(r.status);
                    ex.record.latency_ms = hops + 1;
                }
                None => {
                    ex.record.outcome = Outcome::Failed(Failure::Tls);
                    ex.record.cause = Some(match ex.tls_error {
                        Some(TlsError::UntrustedCertificate) => Cause::UntrustedCertificate,
                        _ => Cause::PlainHttp,
                    });
                    ex.record.latency_ms = hops + 1;
                }
            }
            ex.connection = Some(conn);
            return ex;
        }
    };
    ex.record.outcome = Outcome::Failed(outcome);
    ex.record.latency_ms = latency;
    ex.connection = Some(conn);
    ex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_as_curl_reads_them() {
        let u = Url::parse("hostname-svc:8080").unwrap();
        assert_eq!((u.https, u.host.as_str(), u.port, u.path.as_str()), (false, "hostname-svc", 8080, "/"));
        assert_eq!(u.host_header(), "hostname-svc:8080");
        let u = Url::parse("https://10.96.0.1/version?x=1").unwrap();
        assert_eq!(
            (u.https, u.port, u.path.as_str(), u.host_header()),
            (true, 443, "/version?x=1", "10.96.0.1".into())
        );
        assert!(Url::parse("ftp://x").unwrap_err().contains("\"ftp\" not supported"));
        assert!(Url::parse("http://x:99999/").is_err());
        assert!(Url::parse("http:///").is_err());
    }
}
