//! The simulator for other people's pages: a small API that teachers call from JavaScript (`www/embed.html` is a
//! working example; the README documents it).
//!
//! [`Embedded`] is the API in Rust, native and tested like the rest of the core; on wasm32, [`Cluster`] exports it
//! with wasm-bindgen, converting values with serde-wasm-bindgen into plain JavaScript objects.
//!
//! ```js
//! import init, { Cluster } from "./kubeplay.js";
//! await init();
//! const c = new Cluster({ seed: 7, workers: 3 });
//! c.apply(yamlText);                        // { stdout, stderr, exitCode }
//! c.kubectl("kubectl get pods");            // { stdout, stderr, exitCode }
//! c.advance(30000);                         // virtual milliseconds
//! c.snapshot();                             // { time, objects, events, requests }
//! ```

use crate::cluster::clock::Millis;
use crate::cluster::settings::{Timings, MAX_WORKERS};
use crate::cluster::store::Kind;
use crate::cluster::Settings;
use crate::kubectl::{Context, Terminal};
use crate::scenario::{Tabs, MAX_LINE_BYTES};
use crate::sim::Sim;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The longest one `advance` call may move virtual time (one hour).
pub const MAX_ADVANCE_MS: Millis = 60 * 60 * 1000;

/// What a page may set when it creates a cluster; everything is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    pub seed: Option<u64>,
    pub workers: Option<u32>,
    /// Milliseconds until the simulated cloud gives a LoadBalancer its address; `null` or absent: the default
    /// (10 s); `false`: no cloud.
    pub load_balancer_ms: Option<Value>,
    pub proxy_delay_ms: Option<Millis>,
    pub pull_ms: Option<Millis>,
    pub start_ms: Option<Millis>,
    pub warmup_ms: Option<Millis>,
    pub stop_ms: Option<Millis>,
}

impl Options {
    pub fn settings(&self) -> Result<Settings, String> {
        let mut s = Settings::default();
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        if let Some(w) = self.workers {
            if !(1..=MAX_WORKERS).contains(&w) {
                return Err(format!("workers must be between 1 and {MAX_WORKERS}"));
            }
            s.workers = w;
        }
        match &self.load_balancer_ms {
            None | Some(Value::Null) => {}
            Some(Value::Bool(false)) => s.load_balancer_ms = None,
            Some(v) => {
                s.load_balancer_ms = Some(v.as_u64().ok_or("loadBalancerMs must be a number of milliseconds or false")?)
            }
        }
        if let Some(d) = self.proxy_delay_ms {
            s.proxy_delay_ms = d;
        }
        let d = Timings::default();
        s.timings = Timings {
            pull_ms: self.pull_ms.or(d.pull_ms),
            start_ms: self.start_ms.unwrap_or(d.start_ms),
            warmup_ms: self.warmup_ms.or(d.warmup_ms),
            stop_ms: self.stop_ms.or(d.stop_ms),
            backoff_notice_ms: d.backoff_notice_ms,
        };
        Ok(s)
    }
}

/// What a kubectl line printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// A simulated cluster driven by calls instead of a screen.
#[derive(Debug, Clone)]
pub struct Embedded {
    pub sim: Sim,
    terminal: Terminal,
    files: Tabs,
}

/// The kinds a snapshot lists (events are listed on their own).
const KINDS: [Kind; 10] = [
    Kind::Namespace,
    Kind::Node,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::Pod,
    Kind::Service,
    Kind::Endpoints,
    Kind::EndpointSlice,
    Kind::ConfigMap,
    Kind::Secret,
];

impl Embedded {
    pub fn new(options: &Options) -> Result<Embedded, String> {
        Ok(Embedded { sim: Sim::new(options.settings()?), terminal: Terminal::default(), files: Tabs::default() })
    }

    /// `kubectl apply -f -` with `yaml` on stdin.
    pub fn apply(&mut self, yaml: &str) -> Printed {
        self.run("kubectl apply -f -", Some(yaml))
    }

    /// One terminal line: kubectl, curl, nslookup, or a line in a shell a previous line opened.
    pub fn kubectl(&mut self, line: &str) -> Printed {
        if line.len() > MAX_LINE_BYTES {
            return Printed {
                stdout: String::new(),
                stderr: format!("kubeplay reads at most {MAX_LINE_BYTES} bytes of a line (a kubeplay limit)\n"),
                exit_code: 1,
            };
        }
        self.run(line, None)
    }

    fn run(&mut self, line: &str, stdin: Option<&str>) -> Printed {
        let out = self.terminal.run(&mut self.sim, line, &Context { files: &self.files, stdin, live: false });
        if let Some(a) = out.awaiting {
            // The browser's build loads some data on demand; a page that embeds the simulator provides it itself.
            return Printed {
                stdout: String::new(),
                stderr: format!(
                    "error: this command needs {0}, which this page has not provided: fetch it from kubeplay's folder \
                     and call provideData(\"{0}\", text) first\n",
                    a.file()
                ),
                exit_code: 1,
            };
        }
        Printed { stdout: out.stdout, stderr: out.warnings + &out.stderr, exit_code: out.code }
    }

    /// Moves virtual time forward (at most [`MAX_ADVANCE_MS`] per call).
    pub fn advance(&mut self, ms: Millis) {
        self.sim.run_until(self.sim.now() + ms.min(MAX_ADVANCE_MS));
    }

    pub fn now(&self) -> Millis {
        self.sim.now()
    }

    /// Everything a page may want to draw: the objects (as the API server returns them), the events and the
    /// recorded requests, as plain JSON.
    pub fn snapshot(&self) -> Value {
        let store = self.sim.cluster().store();
        let now = self.sim.now();
        let objects: Vec<Value> = KINDS
            .iter()
            .flat_map(|&kind| {
                crate::kubectl::get::find_kind(
                    kind,
                    store,
                    None,
                    &[],
                    &crate::kubectl::labels::Selector::default(),
                    now,
                    crate::kubectl::get::View::Objects,
                )
                .0
                .into_iter()
                .map(|f| f.json)
            })
            .collect();
        let events: Vec<Value> = self
            .sim
            .cluster()
            .events()
            .log
            .iter()
            .map(|e| {
                json!({
                    "time": e.at, "type": e.type_.as_str(), "reason": e.reason.as_str(),
                    "object": format!("{}/{}", e.object.kind.name().to_lowercase(), e.object.name),
                    "namespace": e.object.namespace, "message": e.message, "source": e.component,
                })
            })
            .collect();
        let requests: Vec<Value> = self
            .sim
            .net
            .records
            .iter()
            .map(|r| {
                let (status, failure) = match r.outcome {
                    crate::net::Outcome::Status(s) => (Some(s), None),
                    crate::net::Outcome::Failed(f) => (None, Some(f.label())),
                };
                json!({
                    "id": r.id, "time": r.at, "from": r.origin, "url": r.url, "pod": r.pod,
                    "replicaSet": r.replica_set, "revision": r.revision, "status": status, "failure": failure,
                    "latencyMs": r.latency_ms,
                })
            })
            .collect();
        json!({ "time": now, "objects": objects, "events": events, "requests": requests })
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    use super::{Embedded, Options};
    use serde::Serialize;
    use wasm_bindgen::prelude::*;

    fn to_js<T: Serialize>(v: &T) -> JsValue {
        v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
    }

    /// Gives the simulator a data file it loads on demand in the browser (`explain.data`, next to `kubeplay.js`),
    /// fetched by the embedding page: `provideData("explain.data", await (await fetch(url)).text())`. Throws when
    /// the name or the text is not one of kubeplay's data files.
    #[wasm_bindgen(js_name = provideData)]
    pub fn provide_data(file: &str, text: String) -> Result<(), JsError> {
        use crate::kubectl::Awaiting;
        let what = Awaiting::by_file(file).ok_or_else(|| {
            let files: Vec<&str> = Awaiting::ALL.iter().map(|a| a.file()).collect();
            JsError::new(&format!("{file:?} is not one of kubeplay's data files ({})", files.join(", ")))
        })?;
        what.provide(text).map_err(|e| JsError::new(&e))
    }

    /// A simulated cluster (see the README's "Embedding" section).
    #[wasm_bindgen]
    pub struct Cluster(Embedded);

    #[wasm_bindgen]
    impl Cluster {
        /// `new Cluster({ seed, workers, loadBalancerMs, proxyDelayMs, pullMs, startMs, warmupMs, stopMs })`, every
        /// field optional. Unknown fields and bad values throw an Error that names them.
        #[wasm_bindgen(constructor)]
        pub fn new(options: JsValue) -> Result<Cluster, JsError> {
            let options: Options = if options.is_undefined() || options.is_null() {
                Options::default()
            } else {
                serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&e.to_string()))?
            };
            Embedded::new(&options).map(Cluster).map_err(|e| JsError::new(&e))
        }

        /// Applies a YAML (or JSON) manifest stream: `{ stdout, stderr, exitCode }`.
        pub fn apply(&mut self, yaml: &str) -> JsValue {
            to_js(&self.0.apply(yaml))
        }

        /// Runs a terminal line: `{ stdout, stderr, exitCode }`.
        pub fn kubectl(&mut self, line: &str) -> JsValue {
            to_js(&self.0.kubectl(line))
        }

        /// Moves virtual time forward by `ms` milliseconds (at most an hour per call).
        pub fn advance(&mut self, ms: f64) {
            if ms.is_finite() && ms > 0.0 {
                self.0.advance(ms as u64);
            }
        }

        /// The virtual time, in milliseconds since the cluster was created.
        pub fn now(&self) -> f64 {
            self.0.now() as f64
        }

        /// `{ time, objects, events, requests }` as plain objects.
        pub fn snapshot(&self) -> JsValue {
            to_js(&self.0.snapshot())
        }
    }
}
