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
