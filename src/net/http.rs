//! What the catalogue's images answer over HTTP, as the real programs do: nginx's welcome page (the 612-byte page
//! up to 1.20, the 615-byte one with `color-scheme` from 1.21) and its 404 page, httpd's "It works!", the book's
//! `alicek106/rr-test:echo-hostname` (Apache with a PHP page greeting with the pod's hostname), CoreDNS's
//! `/health` and `/ready`, and the API server's answers to an anonymous client. Each server also writes its access
//! log line, which `kubectl logs` shows.

use crate::api::time::time_at;
use crate::cluster::clock::Millis;
use crate::cluster::images::{self, Http};

/// An HTTP request as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The `Host` header.
    pub host: String,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The server that accepted the connection, as far as its answer depends on it.
pub struct Server<'a> {
    pub http: Http,
    /// The container's image reference (for the version in `Server:` headers).
    pub image: &'a str,
    /// The pod's hostname.
    pub hostname: &'a str,
}

/// nginx's default page for a version (`1.minor`): 612 bytes up to 1.20, 615 with the `color-scheme` style from 1.21.
pub fn nginx_welcome(minor: u32) -> String {
    let style = if minor >= 21 {
        "html { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n"
    } else {
        "    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n"
    };
    format!("{NGINX_HEAD}{style}{NGINX_BODY}")
}

const NGINX_HEAD: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n";
const NGINX_BODY: &str = "</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// `Date:` header value at a virtual instant.
pub fn http_date(at: Millis) -> String {
    time_at(at).0.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        _ => "",
    }
}

fn response(status: u16, server: Option<String>, content_type: &str, body: String, at: Millis) -> Response {
    let mut headers = Vec::new();
    if let Some(s) = server {
        headers.push(("Server".to_string(), s));
    }
    headers.push(("Date".into(), http_date(at)));
    headers.push(("Content-Type".into(), content_type.into()));
    headers.push(("Content-Length".into(), body.len().to_string()));
    Response { status, reason: reason(status), headers, body }
}

/// What the server answers.
pub fn respond(server: &Server<'_>, req: &Request, at: Millis) -> Response {
    let tag = images::parse(server.image).map(|r| r.tag).unwrap_or_default();
    let path = req.path.split('?').next().unwrap_or("/");
    let mut r = match server.http {
        Http::NginxWelcome => {
            let (minor, patch) = images::nginx_version(&tag).unwrap_or((25, 5));
            let version = format!("nginx/1.{minor}.{patch}");
            if matches!(path, "/" | "/index.html") {
                let mut r = response(200, Some(version), "text/html", nginx_welcome(minor), at);
                r.headers.push(("Connection".into(), "keep-alive".into()));
                r.headers.push(("Accept-Ranges".into(), "bytes".into()));
                r
            } else {
                let body = format!(
                    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{version}</center>\r\n</body>\r\n</html>\r\n"
                );
                let mut r = response(404, Some(version), "text/html", body, at);
                r.headers.push(("Connection".into(), "keep-alive".into()));
                r
            }
        }
        Http::HttpdItWorks => {
            let version = if tag.starts_with("2.4.") { tag.clone() } else { "2.4.63".into() };
            let server_header = Some(format!("Apache/{version} (Unix)"));
            if matches!(path, "/" | "/index.html") {
                response(200, server_header, "text/html", "<html><body><h1>It works!</h1></body></html>\n".into(), at)
            } else {
                let body = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".to_string();
                response(404, server_header, "text/html; charset=iso-8859-1", body, at)
            }
        }
        Http::EchoHostname => {
            // The image serves the same PHP page for any path under its document root.
            let body = format!(
                "<!DOCTYPE html>\n<meta charset=\"utf-8\" />\n<link rel=\"stylesheet\" type=\"text/css\" href=\"./css/layout.css\" />\n<link rel=\"stylesheet\" href=\"https://maxcdn.bootstrapcdn.com/bootstrap/3.3.2/css/bootstrap.min.css\">\n\n<div class=\"form-layout\">\n        <blockquote>\n        <p>Hello,  {}</p>     </blockquote>\n</div>\n",
                server.hostname
            );
            response(200, Some("Apache/2.4.18 (Ubuntu)".into()), "text/html; charset=UTF-8", body, at)
        }
        Http::CoreDns => {
            if matches!(path, "/health" | "/ready") {
                response(200, None, "text/plain; charset=utf-8", "OK".into(), at)
            } else {
                response(404, None, "text/plain; charset=utf-8", "404 page not found\n".into(), at)
            }
        }
        Http::Generic | Http::None => {
            response(200, None, "text/plain; charset=utf-8", format!("Hello from {}\n", server.hostname), at)
        }
    };
    if req.method == "HEAD" {
        r.body.clear();
    }
    r
}

/// The API server's answer to an anonymous HTTPS request (kubeadm allows anonymous access to the health and
/// version endpoints only, through the `system:public-info-viewer` role).
pub fn api_server(req: &Request, at: Millis) -> Response {
    let path = req.path.split('?').next().unwrap_or("/");
    let json = "application/json";
    let mut r = match path {
        "/healthz" | "/livez" | "/readyz" => response(200, None, "text/plain; charset=utf-8", "ok".into(), at),
        "/version" => {
            let v = crate::api::KUBERNETES_VERSION;
            let minor = v.split('.').nth(1).unwrap_or("35");
            let body = format!(
                "{{\n  \"major\": \"1\",\n  \"minor\": \"{minor}\",\n  \"emulationMajor\": \"1\",\n  \"emulationMinor\": \"{minor}\",\n  \"minCompatibilityMajor\": \"1\",\n  \"minCompatibilityMinor\": \"{}\",\n  \"gitVersion\": \"{v}\",\n  \"goVersion\": \"go1.24.9\",\n  \"compiler\": \"gc\",\n  \"platform\": \"linux/amd64\"\n}}",
                minor.parse::<u32>().map(|m| m.saturating_sub(1)).unwrap_or(34)
            );
            response(200, None, json, body, at)
        }
        _ => {
            let body = format!(
                "{{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {{}},\n  \"status\": \"Failure\",\n  \"message\": \"forbidden: User \\\"system:anonymous\\\" cannot get path \\\"{path}\\\"\",\n  \"reason\": \"Forbidden\",\n  \"details\": {{}},\n  \"code\": 403\n}}"
            );
            response(403, None, json, body, at)
        }
    };
    r.headers.insert(0, ("Audit-Id".into(), "3f6c1d2e-5b7a-4c1e-9d2f-6a8b0c4e1f35".into()));
    r.headers.insert(1, ("Cache-Control".into(), "no-cache, private".into()));
    r.headers.insert(2, ("X-Content-Type-Options".into(), "nosniff".into()));
    if req.method == "HEAD" {
        r.body.clear();
    }
    r
}

/// The access-log line the server writes for a request, or `None` for servers that log nothing per request.
pub fn access_log(server: &Server<'_>, client_ip: &str, req: &Request, res: &Response, at: Millis) -> Option<String> {
    let when = time_at(at).0.strftime("%d/%b/%Y:%H:%M:%S +0000").to_string();
    let line = format!("{} {} HTTP/1.1", req.method, req.path);
    match server.http {
        Http::NginxWelcome => Some(format!(
            "{client_ip} - - [{when}] \"{line}\" {} {} \"-\" \"{}\" \"-\"",
            res.status,
            res.body.len(),
            req.user_agent
        )),
        Http::HttpdItWorks => Some(format!("{client_ip} - - [{when}] \"{line}\" {} {}", res.status, res.body.len())),
        Http::EchoHostname => Some(format!(
            "{client_ip} - - [{when}] \"{line}\" {} {} \"-\" \"{}\"",
            res.status,
            res.body.len(),
            req.user_agent
        )),
        Http::CoreDns | Http::Generic | Http::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> Request {
        Request { method: "GET".into(), path: path.into(), host: "x".into(), user_agent: "curl/8.5.0".into() }
    }

    #[test]
    fn nginx_serves_its_welcome_page_of_the_right_size_and_a_404_elsewhere() {
        let old = Server { http: Http::NginxWelcome, image: "nginx:1.10", hostname: "p" };
        let r = respond(&old, &get("/"), 0);
        assert_eq!((r.status, r.body.len()), (200, 612));
        assert_eq!(r.headers[0], ("Server".into(), "nginx/1.10.3".into()));
        let new = Server { http: Http::NginxWelcome, image: "nginx:1.25", hostname: "p" };
        assert_eq!(respond(&new, &get("/"), 0).body.len(), 615);
        let missing = respond(&new, &get("/nope"), 0);
        assert_eq!(missing.status, 404);
        assert!(missing.body.contains("<hr><center>nginx/1.25.5</center>"));
        assert_eq!(r.headers[1].1, "Thu, 01 Jan 2026 00:00:00 GMT");
    }

    #[test]
    fn the_echo_hostname_image_greets_with_the_pods_hostname() {
        let s = Server { http: Http::EchoHostname, image: "alicek106/rr-test:echo-hostname", hostname: "web-1" };
        assert!(respond(&s, &get("/"), 0).body.contains("<p>Hello,  web-1</p>"));
    }
}
