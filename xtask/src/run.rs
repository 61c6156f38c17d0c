//! Running child commands: every command is echoed before it runs, and a failure names the command.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, ExitStatus, Stdio};

/// The environment every tool runs in: PATH with the project's tool folders first.
#[derive(Clone, Debug)]
pub struct Env {
    pub path: OsString,
    pub chromedriver: Option<String>,
}

impl Env {
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path).current_dir(crate::root());
        cmd
    }
}

fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs `cmd` with inherited output; an error names the command and its exit status.
pub fn status(cmd: &mut Command) -> Result<(), String> {
    println!("$ {}", describe(cmd));
    let _ = std::io::stdout().flush();
    let status = cmd.status().map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd`, streaming its standard output through while keeping a copy, which is returned on success.
pub fn tee(cmd: &mut Command) -> Result<String, String> {
    let (copy, status) = stream(cmd)?;
    if status.success() {
        Ok(copy)
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd`, streaming its standard output through while keeping a copy; the copy comes back whatever the exit
/// status, so a caller can still read what a failing command printed.
pub fn stream(cmd: &mut Command) -> Result<(String, ExitStatus), String> {
    println!("$ {}", describe(cmd));
    let _ = std::io::stdout().flush();
    let mut child =
        cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    let mut copy = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.map_err(|e| format!("reading output of `{}`: {e}", describe(cmd)))?;
            println!("{line}");
            copy.push_str(&line);
            copy.push('\n');
        }
    }
    let status = child.wait().map_err(|e| format!("waiting for `{}`: {e}", describe(cmd)))?;
    Ok((copy, status))
}

/// Runs `cmd` (its standard error passes through) and returns its standard output; a failure names the command.
pub fn output(cmd: &mut Command) -> Result<String, String> {
    println!("$ {}", describe(cmd));
    let _ = std::io::stdout().flush();
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    if !out.status.success() {
        return Err(format!("`{}` failed ({})", describe(cmd), out.status));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("`{}` printed text that is not UTF-8: {e}", describe(cmd)))
}

/// The trimmed standard output of `cmd`, or `None` when it cannot run or fails. Used to probe versions.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
