//! `cargo xtask serve`: ensure the tools, then `trunk serve` (offline, see Trunk.toml).

use crate::run;
use crate::tools::{self, Need};

pub fn main(args: &[String]) -> Result<(), String> {
    let mut address = "127.0.0.1".to_string();
    let mut port = "8080".to_string();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{flag} needs a value"));
        match flag {
            "--address" => address = value()?,
            "--port" => {
                port = value()?;
                port.parse::<u16>().map_err(|_| format!("--port: {port:?} is not a port number (1-65535)"))?;
            }
            _ => return Err(format!("serve: unexpected argument {arg:?} (try --address ADDR or --port PORT)")),
        }
    }
    let env = tools::ensure(Need::Build)?;
    let host = if address.contains(':') { format!("[{address}]") } else { address.clone() };
    println!("serve: kubeplay will be at http://{host}:{port}/ (Ctrl+C to stop)");
    run::status(env.command("trunk").args(["serve", "--address", &address, "--port", &port]))
}
