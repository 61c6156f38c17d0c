//! Every text of the user interface, in English and Korean, from one catalogue.
//!
//! A message is a [`Msg`] value and [`text`] is one `match` over (language, message), so a message without a
//! translation does not compile. Korean texts are written for learners, not translated word for word; Kubernetes
//! terms (Pod, ReplicaSet, kubectl) stay in English as Korean Kubernetes books write them.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    /// The BCP 47 tag used for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    /// Picks the language for a browser language tag (`ko`, `ko-KR`, `en-US`, …); anything not Korean is English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The first supported language of a browser's preference list, or English.
    pub fn negotiate<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        for tag in tags {
            let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
            match primary.as_str() {
                "ko" => return Lang::Ko,
                "en" => return Lang::En,
                _ => {}
            }
        }
        Lang::En
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Tagline,
    LanguageSwitch,
    SkipToTerminal,
    EditorTitle,
    EditorEmpty,
    StageTitle,
    StageEmpty,
    TerminalTitle,
    TerminalEmpty,
    TerminalInput,
    TimelineTitle,
    TimelineEmpty,
}

impl Msg {
    pub const ALL: [Msg; 12] = [
        Msg::Tagline,
        Msg::LanguageSwitch,
        Msg::SkipToTerminal,
        Msg::EditorTitle,
        Msg::EditorEmpty,
        Msg::StageTitle,
        Msg::StageEmpty,
        Msg::TerminalTitle,
        Msg::TerminalEmpty,
        Msg::TerminalInput,
        Msg::TimelineTitle,
        Msg::TimelineEmpty,
    ];
}

pub fn text(lang: Lang, msg: Msg) -> &'static str {
    use Lang::*;
    use Msg::*;
    match (lang, msg) {
        (En, Tagline) => "A Kubernetes playground in your browser",
        (Ko, Tagline) => "브라우저에서 바로 해 보는 쿠버네티스 실습장",
        (En, LanguageSwitch) => "Language",
        (Ko, LanguageSwitch) => "언어",
        (En, SkipToTerminal) => "Skip to the terminal",
        (Ko, SkipToTerminal) => "터미널로 건너뛰기",
        (En, EditorTitle) => "Editor",
        (Ko, EditorTitle) => "편집기",
        (En, EditorEmpty) => "Your YAML files will open here.",
        (Ko, EditorEmpty) => "여기에서 YAML 파일을 열고 고칩니다.",
        (En, StageTitle) => "Stage",
        (Ko, StageTitle) => "스테이지",
        (En, StageEmpty) => "Deployments, ReplicaSets, Pods and Services will appear here.",
        (Ko, StageEmpty) => "Deployment, ReplicaSet, Pod, Service가 여기에 나타납니다.",
        (En, TerminalTitle) => "Terminal",
        (Ko, TerminalTitle) => "터미널",
        (En, TerminalEmpty) => "Type kubectl commands here.",
        (Ko, TerminalEmpty) => "여기에 kubectl 명령을 입력합니다.",
        (En, TerminalInput) => "Command line: type a kubectl command and press Enter",
        (Ko, TerminalInput) => "명령줄: kubectl 명령을 입력하고 Enter를 누르세요",
        (En, TimelineTitle) => "Timeline",
        (Ko, TimelineTitle) => "타임라인",
        (En, TimelineEmpty) => "Play, pause, step and rewind the simulation here.",
        (Ko, TimelineEmpty) => "여기에서 시뮬레이션을 재생하고, 멈추고, 한 단계씩 진행하고, 되감습니다.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_choose_the_language() {
        assert_eq!(Lang::from_tag("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_tag("KO"), Lang::Ko);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("ja"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
        assert_eq!(Lang::negotiate(["fr-FR", "ko", "en"]), Lang::Ko);
        assert_eq!(Lang::negotiate(["de", "en-GB", "ko"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }

    #[test]
    fn every_message_has_distinct_non_empty_text_in_each_language() {
        for msg in Msg::ALL {
            let en = text(Lang::En, msg);
            let ko = text(Lang::Ko, msg);
            assert!(!en.trim().is_empty() && !ko.trim().is_empty(), "{msg:?}");
            assert_ne!(en, ko, "{msg:?} is not translated");
            // Korean text is written in Hangul (Kubernetes terms may stay in Latin letters).
            assert!(ko.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)), "{msg:?}: {ko}");
        }
    }
}
