//! `pods/NAME/exec` over WebSocket, the way kubectl 1.35 runs `kubectl exec` by default (client-go
//! `remotecommand/websocket.go`, apiserver `wsstream`): the client asks for `v5.channel.k8s.io` (or `v4`), the
//! server answers `101 Switching Protocols`, then each binary message's first byte names a stream — 0 stdin, 1
//! stdout, 2 stderr, 3 the error stream, whose one message is a `metav1.Status` (`Success`, or `NonZeroExitCode`
//! with the exit code as a cause); in v5 a client ends its stdin with `[255, 0]`. The command runs through kubeplay's
//! own `kubectl exec` engine, so both print the same.
//! Requests that cannot start (no such pod, a pod not running, no container) get the API server's error before any
//! upgrade, as a plain HTTP answer.

use super::{server_error, Reply, Req, Shared, Target};
use crate::kubectl;
use serde_json::json;
use std::io::{Read, Write};
use std::sync::Arc;

/// The connection after the upgrade.
pub trait ReadWrite: Read + Write {}
impl<T: Read + Write + ?Sized> ReadWrite for T {}

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// The largest stdin a client may send to one exec.
const MAX_STDIN: usize = 1024 * 1024;

pub fn exec(shared: &Arc<Shared>, req: &Req, t: &Target, name: &str) -> Reply {
    let command: Vec<String> = req.params("command").into_iter().map(str::to_string).collect();
    if command.is_empty() {
        return Reply::Json(400, super::status(400, "BadRequest", "you must specify at least 1 command"));
    }
    let is_websocket = req.header("Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    let offered: Vec<String> =
        req.header("Sec-WebSocket-Protocol").unwrap_or("").split(',').map(|p| p.trim().to_string()).collect();
    let protocol = ["v5.channel.k8s.io", "v4.channel.k8s.io"].into_iter().find(|p| offered.iter().any(|o| o == p));
    let namespace = t.namespace.clone().unwrap_or_default();
    let mut line = vec!["kubectl".to_string(), "exec".into(), name.to_string(), "-n".into(), namespace];
    if let Some(c) = req.param("container") {
        line.push(format!("--container={c}"));
    }
    let stdin = req.param("stdin") == Some("true");
    if stdin {
        line.push("-i".into());
    }
    line.push("--".into());
    line.extend(command);
    let line = kubectl::words::join(&line);
    // Whether it can start at all: a dry run on a copy answers without running anything twice.
    {
        let mut copy = shared.lock().scratch();
        let out = kubectl::run(
            &mut copy,
            &line,
            &kubectl::Context { files: &kubectl::NoFiles, stdin: Some(""), live: false },
        );
        if out.code != 0 && !out.stderr.contains("command terminated with exit code") {
            // The kubelet answers a container that is not running in plain text, which kubectl words
            // `error: unable to upgrade connection: …`; anything else is the API server's Status.
            if let Some(why) =
                out.stderr.lines().next().and_then(|l| l.strip_prefix("error: unable to upgrade connection: "))
            {
                return Reply::Text(400, format!("{why}\n"));
            }
            return server_error(&out.stderr);
        }
    }
    let (Some(protocol), true, Some(key)) = (protocol, is_websocket, req.header("Sec-WebSocket-Key")) else {
        // SPDY (kubectl's fallback) is not spoken here.
        return Reply::Json(
            400,
            super::status(
                400,
                "BadRequest",
                "kubeplay cluster runs exec over WebSocket (v5.channel.k8s.io or v4.channel.k8s.io) only",
            ),
        );
    };
    let accept = crate::util::base64(&sha1_smol::Sha1::from(format!("{key}{GUID}")).digest().bytes());
    let shared = shared.clone();
    let v5 = protocol.starts_with("v5");
    Reply::Upgrade(
        protocol.to_string(),
        accept,
        Box::new(move |conn: &mut dyn ReadWrite| {
            let input = if stdin { read_stdin(conn, v5) } else { None };
            let out = {
                let mut state = shared.lock();
                let out = kubectl::run(
                    &mut state.sim,
                    &line,
                    &kubectl::Context { files: &kubectl::NoFiles, stdin: input.as_deref().or(Some("")), live: false },
                );
                shared.changed(&mut state);
                out
            };
            let stderr: String = out
                .stderr
                .lines()
                .filter(|l| !l.starts_with("command terminated with exit code"))
                .map(|l| format!("{l}\n"))
                .collect();
            let mut ok = true;
            if !out.stdout.is_empty() {
                ok &= send(conn, 1, out.stdout.as_bytes());
            }
            if !stderr.is_empty() && ok {
                ok &= send(conn, 2, stderr.as_bytes());
            }
            let status = if out.code == 0 {
                json!({ "metadata": {}, "status": "Success" })
            } else {
                json!({ "metadata": {}, "status": "Failure",
                        "message": format!("command terminated with non-zero exit code: error executing command, exit code {}", out.code),
                        "reason": "NonZeroExitCode",
                        "details": { "causes": [{ "reason": "ExitCode", "message": out.code.to_string() }] } })
            };
            if ok && send(conn, 3, status.to_string().as_bytes()) {
                // Close: status 1000 (normal closure).
                let _ = frame(conn, 0x8, &[0x03, 0xe8]);
            }
        }),
    )
}

/// Reads the client's stdin messages until it closes them (`[255, 0]` in v5, or a close frame).
fn read_stdin(conn: &mut dyn ReadWrite, v5: bool) -> Option<String> {
    let mut data = Vec::new();
    loop {
        let (opcode, payload) = read_frame(conn)?;
        match opcode {
            0x8 => break,
            0x9 => {
                let _ = frame(conn, 0xA, &payload);
            }
            0x1 | 0x2 => match payload.split_first() {
                Some((0, rest)) => {
                    data.extend_from_slice(rest);
                    if data.len() > MAX_STDIN {
                        return None;
                    }
                }
                Some((255, [0])) if v5 => break,
                _ => {}
            },
            _ => {}
        }
    }
    Some(String::from_utf8_lossy(&data).into_owned())
}

fn read_frame(conn: &mut dyn ReadWrite) -> Option<(u8, Vec<u8>)> {
    let mut head = [0u8; 2];
    conn.read_exact(&mut head).ok()?;
    let opcode = head[0] & 0x0f;
    let masked = head[1] & 0x80 != 0;
    let mut len = u64::from(head[1] & 0x7f);
    if len == 126 {
        let mut b = [0u8; 2];
        conn.read_exact(&mut b).ok()?;
        len = u64::from(u16::from_be_bytes(b));
    } else if len == 127 {
        let mut b = [0u8; 8];
        conn.read_exact(&mut b).ok()?;
        len = u64::from_be_bytes(b);
    }
    if len > MAX_STDIN as u64 {
        return None;
    }
    let mut mask = [0u8; 4];
    if masked {
        conn.read_exact(&mut mask).ok()?;
    }
    let mut payload = vec![0u8; len as usize];
    conn.read_exact(&mut payload).ok()?;
    if masked {
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= mask[i % 4];
        }
    }
    Some((opcode, payload))
}

fn send(conn: &mut dyn ReadWrite, stream: u8, data: &[u8]) -> bool {
    let mut payload = Vec::with_capacity(data.len() + 1);
    payload.push(stream);
    payload.extend_from_slice(data);
    frame(conn, 0x2, &payload)
}

/// One unmasked frame (a server's frames are never masked).
fn frame(conn: &mut dyn ReadWrite, opcode: u8, payload: &[u8]) -> bool {
    let mut out = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= 0xffff => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    conn.write_all(&out).and_then(|_| conn.flush()).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_accept_key_is_rfc_6455s() {
        // The example of RFC 6455 §1.3.
        let key = "dGhlIHNhbXBsZSBub25jZQ==";
        let accept = crate::util::base64(&sha1_smol::Sha1::from(format!("{key}{}", super::GUID)).digest().bytes());
        assert_eq!(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
