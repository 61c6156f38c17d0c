//! Browser tests of the UI glue, run by wasm-bindgen-test in headless Chromium (`cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use kubeplay::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a fresh element and waits until it has rendered and run its effects.
async fn mount() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    for _ in 0..50 {
        if root.query_selector("[data-testid=\"app-ready\"]").unwrap().is_some() {
            return root;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("the app did not become ready; DOM: {}", root.inner_html());
}

fn texts(root: &Element, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_its_four_labelled_regions() {
    let root = mount().await;
    let regions: Vec<String> = {
        let list = root.query_selector_all("[data-region]").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .filter_map(|e| e.get_attribute("data-region"))
            .collect()
    };
    assert_eq!(regions, ["editor", "stage", "terminal", "timeline"]);
    // Every region is labelled by its heading, for screen readers.
    let list = root.query_selector_all("section[data-region]").unwrap();
    for i in 0..list.length() {
        let section: Element = list.item(i).unwrap().dyn_into().unwrap();
        let label = section.get_attribute("aria-labelledby").unwrap();
        let heading = gloo::utils::document().get_element_by_id(&label).unwrap();
        assert!(!heading.text_content().unwrap().trim().is_empty());
    }
    assert_eq!(texts(&root, "h1"), ["kubeplay"]);
    root.remove();
}

#[wasm_bindgen_test]
async fn switching_language_changes_the_text_and_html_lang() {
    let root = mount().await;
    let buttons = root.query_selector_all(".lang-button").unwrap();
    let mut korean = None;
    let mut english = None;
    for i in 0..buttons.length() {
        let button: HtmlElement = buttons.item(i).unwrap().dyn_into().unwrap();
        match button.get_attribute("lang").as_deref() {
            Some("ko") => korean = Some(button),
            Some("en") => english = Some(button),
            _ => {}
        }
    }
    let (korean, english) = (korean.expect("a 한국어 button"), english.expect("an English button"));

    korean.click();
    TimeoutFuture::new(20).await;
    let html = gloo::utils::document().document_element().unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("ko"));
    assert_eq!(korean.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(texts(&root, "h2").contains(&"터미널".to_string()), "{:?}", texts(&root, "h2"));
    assert!(gloo::utils::document().title().contains("쿠버네티스"));

    english.click();
    TimeoutFuture::new(20).await;
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    assert!(texts(&root, "h2").contains(&"Terminal".to_string()));
    assert_eq!(korean.get_attribute("aria-pressed").as_deref(), Some("false"));
    root.remove();
}

/// Presses a key in an element, as the browser would dispatch it.
fn press(target: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn the_terminal_runs_kubectl_and_recalls_its_history() {
    let root = mount().await;
    let input: web_sys::HtmlInputElement =
        root.query_selector("[data-testid=\"terminal-input\"]").unwrap().unwrap().dyn_into().unwrap();
    let output = root.query_selector("[data-testid=\"terminal-output\"]").unwrap().unwrap();
    input.set_value("kubectl get nodes");
    press(&input, "Enter");
    TimeoutFuture::new(30).await;
    let text = output.text_content().unwrap();
    assert!(text.contains("$ kubectl get nodes"), "{text}");
    assert!(text.contains("kubeplay-control-plane   Ready    control-plane"), "{text}");
    assert_eq!(input.value(), "", "the line is consumed");
    input.set_value("kubectl get svc -A");
    press(&input, "Enter");
    TimeoutFuture::new(30).await;
    assert!(output.text_content().unwrap().contains("kube-dns"));
    // ↑ walks back through the typed lines, ↓ forward to a fresh line.
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get svc -A");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get nodes");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get nodes", "the oldest line stays");
    press(&input, "ArrowDown");
    press(&input, "ArrowDown");
    assert_eq!(input.value(), "");
    // `clear` empties the view; errors keep kubectl's words.
    input.set_value("clear");
    press(&input, "Enter");
    TimeoutFuture::new(30).await;
    assert_eq!(output.text_content().unwrap(), "");
    input.set_value("kubectl get deploymnets");
    press(&input, "Enter");
    TimeoutFuture::new(30).await;
    let text = output.text_content().unwrap();
    assert!(text.contains("error: the server doesn't have a resource type \"deploymnets\""), "{text}");
    root.remove();
}
