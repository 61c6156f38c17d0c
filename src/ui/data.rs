//! Data the page loads on demand: files next to the page in `dist/` (today `kubectl explain`'s documentation),
//! fetched the first time a terminal line waits for one (`Output::awaiting`), then kept for the rest of the visit
//! (and in the browser's HTTP cache). Most visits never need them, so the first load does not carry them.

use super::state::{Change, Dispatch};
use crate::kubectl::Awaiting;
use std::cell::RefCell;

thread_local! {
    /// What is being fetched now, so a second line waiting for the same file does not fetch it again.
    static IN_FLIGHT: RefCell<Vec<Awaiting>> = const { RefCell::new(Vec::new()) };
}

/// Fetches each of `wanted` not already on its way; when one arrives the lines waiting for it are filled in
/// (`Change::DataArrived`), and when it cannot be had they say why (`Change::DataFailed`).
pub fn fetch(wanted: &[Awaiting], dispatch: &Dispatch) {
    for &what in wanted {
        let start = IN_FLIGHT.with(|f| {
            let mut f = f.borrow_mut();
            let start = !f.contains(&what);
            if start {
                f.push(what);
            }
            start
        });
        if !start {
            continue;
        }
        let dispatch = dispatch.clone();
        yew::platform::spawn_local(async move {
            let result = match get_text(what.file()).await {
                Ok(text) => what.provide(text),
                Err(e) => Err(e),
            };
            IN_FLIGHT.with(|f| f.borrow_mut().retain(|w| *w != what));
            dispatch.dispatch(match result {
                Ok(()) => Change::DataArrived,
                Err(reason) => Change::DataFailed { what, reason },
            });
        });
    }
}

/// The text of the file at `url` (relative to the page), or why not.
#[cfg(target_arch = "wasm32")]
async fn get_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let why = |e: wasm_bindgen::JsValue| {
        e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "the network failed".into())
    };
    let response = JsFuture::from(gloo::utils::window().fetch_with_str(url)).await.map_err(why)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(why)?).await.map_err(why)?;
    text.as_string().ok_or_else(|| "the answer is not text".into())
}

/// At build time (the `prerender` feature) nothing is fetched: the landing screen waits for nothing.
#[cfg(not(target_arch = "wasm32"))]
async fn get_text(_url: &str) -> Result<String, String> {
    Err("not in a browser".into())
}
