//! Every text of the user interface, in English and Korean, from one catalogue.
//!
//! A message is a [`Msg`] value and [`text`] is one `match` over (language, message), so a message without a
//! translation does not compile. Korean texts are written for learners, not translated word for word; Kubernetes
//! terms (Pod, ReplicaSet, kubectl) stay in English as Korean Kubernetes books write them.

use crate::api::time::{go_duration, Millis};
use crate::cluster::why::{Scale, Why};
use crate::net::{Cause, Failure};
use crate::scenario::check::{Check, Cmp, Counted, Expect, Miss, Op};
use crate::scenario::lesson::Text;
use crate::scenario::stage::{Budget, Stage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ko,
}

impl Text {
    /// The lesson text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }
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
    /// Shown over the prerendered screen until the app is live.
    Starting,
    EditorTitle,
    EditorEmpty,
    StageTitle,
    StageEmpty,
    TerminalTitle,
    TerminalInput,
    TerminalOutput,
    TimelineTitle,
    Play,
    Pause,
    Step,
    StepHint,
    Speed,
    Scrubber,
    Clock,
    TryHint,
    SidePanels,
    EventsTitle,
    DecisionsTitle,
    Filter,
    HistoryTitle,
    CurrentRevision,
    RollBack,
    TrafficTitle,
    Source,
    Workstation,
    AnsweredRecently,
    TerminatingEndpoint,
    Clients,
    UrlsThatWork,
    UrlWontWork,
    StartClientPod,
    OutcomesTitle,
    Suggestion,
    ShowHints,
    OtherTab,
    OpenOtherTab,
    KeepThisTab,
    StoppedAtService,
    Rate,
    StartTraffic,
    StopTraffic,
    ResponsesTitle,
    Failed,
    SettingsTitle,
    Workers,
    StartMs,
    StopMs,
    Seed,
    CloudLb,
    SettingsHint,
    ApplySettings,
    StageView,
    ByReplicaSet,
    ByNode,
    LoosePods,
    ServicesTitle,
    Endpoints,
    NoEndpoints,
    NewRs,
    OldRs,
    PodsList,
    Close,
    Files,
    NewFile,
    RenameFile,
    CloseFile,
    FileExists,
    Apply,
    NoProblems,
    Suggest,
    Suggestions,
    SuggestTitle,
    LoadingFields,
    NothingToSuggest,
    FieldDoc,
    DocLoading,
    Required,
    RunInTerminal,
    QuickFix,
    Undo,
    Redo,
    EditorKeys,
    Watching,
    /// A command waits in virtual time (a workstation curl's timeout).
    Waiting,
    /// A terminal line waits for data the page fetches on demand (`kubectl explain`'s documentation).
    DataLoading,
    NotReady,
    Strategy,
    Paused,
    LessonTitle,
    Lessons,
    NoLesson,
    PrevStep,
    NextStep,
    RunIt,
    StartThisTraffic,
    SinceThisStep,
    NoRequestsYet,
    RestartStep,
    RestartStepWhy,
    Goal,
    GoalMet,
    GoalNotYet,
    LessonDone,
    LeaveLesson,
    Share,
    ShareHint,
    Copy,
    Copied,
    Characters,
    Reset,
    ResetConfirm,
    ResetYes,
    Cancel,
    Export,
    ExportYaml,
    ExportScript,
    LinkOpened,
    LinkBad,
    RestorePrevious,
    SaveFailed,
    Dismiss,
    LessonBroken,
    SavedBad,
    Kept,
}

impl Msg {
    pub const ALL: [Msg; 129] = [
        Msg::Tagline,
        Msg::LanguageSwitch,
        Msg::SkipToTerminal,
        Msg::Starting,
        Msg::EditorTitle,
        Msg::EditorEmpty,
        Msg::StageTitle,
        Msg::StageEmpty,
        Msg::TerminalTitle,
        Msg::TerminalInput,
        Msg::TerminalOutput,
        Msg::TimelineTitle,
        Msg::Play,
        Msg::Pause,
        Msg::Step,
        Msg::StepHint,
        Msg::Speed,
        Msg::Scrubber,
        Msg::Clock,
        Msg::TryHint,
        Msg::SidePanels,
        Msg::EventsTitle,
        Msg::DecisionsTitle,
        Msg::Filter,
        Msg::HistoryTitle,
        Msg::CurrentRevision,
        Msg::RollBack,
        Msg::TrafficTitle,
        Msg::Source,
        Msg::Workstation,
        Msg::AnsweredRecently,
        Msg::TerminatingEndpoint,
        Msg::Clients,
        Msg::UrlsThatWork,
        Msg::UrlWontWork,
        Msg::StartClientPod,
        Msg::OutcomesTitle,
        Msg::Suggestion,
        Msg::ShowHints,
        Msg::OtherTab,
        Msg::OpenOtherTab,
        Msg::KeepThisTab,
        Msg::StoppedAtService,
        Msg::Rate,
        Msg::StartTraffic,
        Msg::StopTraffic,
        Msg::ResponsesTitle,
        Msg::Failed,
        Msg::SettingsTitle,
        Msg::Workers,
        Msg::StartMs,
        Msg::StopMs,
        Msg::Seed,
        Msg::CloudLb,
        Msg::SettingsHint,
        Msg::ApplySettings,
        Msg::StageView,
        Msg::ByReplicaSet,
        Msg::ByNode,
        Msg::LoosePods,
        Msg::ServicesTitle,
        Msg::Endpoints,
        Msg::NoEndpoints,
        Msg::NewRs,
        Msg::OldRs,
        Msg::PodsList,
        Msg::Close,
        Msg::Files,
        Msg::NewFile,
        Msg::RenameFile,
        Msg::CloseFile,
        Msg::FileExists,
        Msg::Apply,
        Msg::NoProblems,
        Msg::Suggest,
        Msg::Suggestions,
        Msg::SuggestTitle,
        Msg::LoadingFields,
        Msg::NothingToSuggest,
        Msg::FieldDoc,
        Msg::DocLoading,
        Msg::Required,
        Msg::RunInTerminal,
        Msg::QuickFix,
        Msg::Undo,
        Msg::Redo,
        Msg::EditorKeys,
        Msg::Watching,
        Msg::Waiting,
        Msg::DataLoading,
        Msg::NotReady,
        Msg::Strategy,
        Msg::Paused,
        Msg::LessonTitle,
        Msg::Lessons,
        Msg::NoLesson,
        Msg::PrevStep,
        Msg::NextStep,
        Msg::RunIt,
        Msg::StartThisTraffic,
        Msg::SinceThisStep,
        Msg::NoRequestsYet,
        Msg::RestartStep,
        Msg::RestartStepWhy,
        Msg::Goal,
        Msg::GoalMet,
        Msg::GoalNotYet,
        Msg::LessonDone,
        Msg::LeaveLesson,
        Msg::Share,
        Msg::ShareHint,
        Msg::Copy,
        Msg::Copied,
        Msg::Characters,
        Msg::Reset,
        Msg::ResetConfirm,
        Msg::ResetYes,
        Msg::Cancel,
        Msg::Export,
        Msg::ExportYaml,
        Msg::ExportScript,
        Msg::LinkOpened,
        Msg::LinkBad,
        Msg::RestorePrevious,
        Msg::SaveFailed,
        Msg::Dismiss,
        Msg::LessonBroken,
        Msg::SavedBad,
        Msg::Kept,
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
        (En, Starting) => "kubeplay is starting…",
        (Ko, Starting) => "kubeplay를 시작하는 중…",
        (En, EditorTitle) => "Editor",
        (Ko, EditorTitle) => "편집기",
        (En, EditorEmpty) => "No file is open. Press + to write a new YAML file.",
        (Ko, EditorEmpty) => "열린 파일이 없습니다. +를 눌러 새 YAML 파일을 만드세요.",
        (En, StageTitle) => "Stage",
        (Ko, StageTitle) => "스테이지",
        (En, StageEmpty) => "No Deployments or Pods yet: apply a YAML file or type a kubectl command.",
        (Ko, StageEmpty) => "아직 디플로이먼트나 파드가 없습니다. YAML 파일을 적용하거나 kubectl 명령을 입력해 보세요.",
        (En, TerminalTitle) => "Terminal",
        (Ko, TerminalTitle) => "터미널",
        (En, TerminalInput) => {
            "Command line: type a kubectl command and press Enter (Tab completes; on an empty line, or after \
             Escape, Tab moves on)"
        }
        (Ko, TerminalInput) => {
            "명령줄: kubectl 명령을 입력하고 Enter를 누르세요 (Tab으로 자동 완성, 빈 줄에서나 Esc 다음에는 Tab으로 \
             다음 항목으로 이동)"
        }
        (En, TerminalOutput) => "Terminal output",
        (Ko, TerminalOutput) => "터미널 출력",
        (En, TimelineTitle) => "Timeline",
        (Ko, TimelineTitle) => "타임라인",
        (En, Play) => "Play",
        (Ko, Play) => "재생",
        (En, Pause) => "Pause",
        (Ko, Pause) => "일시 정지",
        (En, Step) => "Step",
        (Ko, Step) => "한 단계",
        (En, StepHint) => "Run one round of the controllers, then pause",
        (Ko, StepHint) => "컨트롤러를 한 차례만 실행하고 멈춥니다",
        (En, Speed) => "Speed",
        (Ko, Speed) => "속도",
        (En, Scrubber) => "Playhead: drag to rewind or replay the run",
        (Ko, Scrubber) => "재생 위치: 끌어서 되감거나 다시 재생합니다",
        (En, Clock) => "Virtual time",
        (Ko, Clock) => "가상 시간",
        (En, TryHint) => "Try this in the terminal: ",
        (Ko, TryHint) => "터미널에서 이렇게 해 보세요: ",
        (En, SidePanels) => "Events, history, traffic and settings",
        (Ko, SidePanels) => "이벤트, 히스토리, 트래픽, 설정",
        (En, EventsTitle) => "Events",
        (Ko, EventsTitle) => "이벤트",
        (En, DecisionsTitle) => "Why: the controllers' decisions",
        (Ko, DecisionsTitle) => "왜 그랬을까: 컨트롤러의 결정",
        (En, Filter) => "Filter",
        (Ko, Filter) => "필터",
        (En, HistoryTitle) => "History",
        (Ko, HistoryTitle) => "히스토리",
        (En, CurrentRevision) => "current",
        (Ko, CurrentRevision) => "현재 리비전",
        (En, RollBack) => "Roll back to this",
        (Ko, RollBack) => "이 리비전으로 롤백",
        (En, TrafficTitle) => "Traffic",
        (Ko, TrafficTitle) => "트래픽",
        (En, Source) => "From",
        (Ko, Source) => "보내는 곳",
        (En, AnsweredRecently) => "requests this pod answered in the last 5 seconds",
        (Ko, AnsweredRecently) => "이 파드가 최근 5초 동안 응답한 요청 수",
        (En, TerminatingEndpoint) => "terminating, still serving",
        (Ko, TerminatingEndpoint) => "종료 중, 아직 응답함",
        (En, Clients) => "Stopped at the client",
        (Ko, Clients) => "클라이언트에서 멈춤",
        (En, UrlsThatWork) => "URLs that work from here",
        (Ko, UrlsThatWork) => "여기서 되는 URL",
        (En, UrlWontWork) => "This URL cannot work from here",
        (Ko, UrlWontWork) => "이 URL은 여기서 동작하지 않습니다",
        (En, StartClientPod) => "Start a client pod (alicek106/ubuntu:curl)",
        (Ko, StartClientPod) => "클라이언트 파드 시작 (alicek106/ubuntu:curl)",
        (En, OutcomesTitle) => "Responses by outcome",
        (Ko, OutcomesTitle) => "결과별 응답",
        (En, OtherTab) => "The playground is open in another tab, which saved its own run. This tab stopped saving, so neither overwrites the other. Which run should be kept?",
        (Ko, OtherTab) => "다른 탭에서도 실습장이 열려 있고, 그 탭이 자기 실행 기록을 저장했습니다. 서로 덮어쓰지 않도록 이 탭은 저장을 멈췄습니다. 어느 쪽을 남길까요?",
        (En, OpenOtherTab) => "Open the other tab's run here",
        (Ko, OpenOtherTab) => "다른 탭의 실행 기록을 여기서 열기",
        (En, KeepThisTab) => "Keep this tab's run (replaces the other's)",
        (Ko, KeepThisTab) => "이 탭의 실행 기록 남기기 (다른 탭 것을 덮어씀)",
        (En, ShowHints) => "Show kubeplay's hints after kubectl's output (off: exactly what kubectl prints)",
        (Ko, ShowHints) => "kubectl 출력 뒤에 kubeplay 도움말 보이기 (끄면 kubectl이 출력하는 그대로)",
        (En, Suggestion) => "What to do:",
        (Ko, Suggestion) => "이렇게 해 보세요:",
        (En, StoppedAtService) => "requests that failed at this Service",
        (Ko, StoppedAtService) => "이 서비스에서 실패한 요청",
        (En, Workstation) => "your workstation (outside the cluster)",
        (Ko, Workstation) => "내 컴퓨터 (클러스터 바깥)",
        (En, Rate) => "Requests per second",
        (Ko, Rate) => "초당 요청 수",
        (En, StartTraffic) => "Start",
        (Ko, StartTraffic) => "시작",
        (En, StopTraffic) => "Stop",
        (Ko, StopTraffic) => "중지",
        (En, ResponsesTitle) => "The last 100 responses, coloured by the revision that answered",
        (Ko, ResponsesTitle) => "마지막 응답 100개 (응답한 리비전의 색)",
        (En, Failed) => "failed",
        (Ko, Failed) => "실패",
        (En, SettingsTitle) => "Settings",
        (Ko, SettingsTitle) => "설정",
        (En, Workers) => "Worker nodes",
        (Ko, Workers) => "워커 노드 수",
        (En, StartMs) => "Container start-up (ms)",
        (Ko, StartMs) => "컨테이너 시작 시간 (ms)",
        (En, StopMs) => "Shutdown after SIGTERM (ms; empty: the image's own)",
        (Ko, StopMs) => "SIGTERM 후 종료 시간 (ms, 비우면 이미지 기본값)",
        (En, Seed) => "Seed (pod names, addresses)",
        (Ko, Seed) => "시드 (파드 이름과 주소를 정함)",
        (En, CloudLb) => "Cloud load balancer (LoadBalancer Services get an address)",
        (Ko, CloudLb) => "클라우드 로드 밸런서 (LoadBalancer 서비스에 주소 할당)",
        (En, SettingsHint) => "New settings rebuild the cluster and replay everything you did, up to now.",
        (Ko, SettingsHint) => "설정을 바꾸면 클러스터를 새로 만들고 지금까지 한 일을 처음부터 다시 재생합니다.",
        (En, ApplySettings) => "Rebuild with these settings",
        (Ko, ApplySettings) => "이 설정으로 다시 만들기",
        (En, StageView) => "Group pods",
        (Ko, StageView) => "파드 묶어 보기",
        (En, ByReplicaSet) => "By ReplicaSet",
        (Ko, ByReplicaSet) => "레플리카셋별",
        (En, ByNode) => "By Node",
        (Ko, ByNode) => "노드별",
        (En, LoosePods) => "Pods without a Deployment",
        (Ko, LoosePods) => "디플로이먼트에 속하지 않은 파드",
        (En, ServicesTitle) => "Services",
        (Ko, ServicesTitle) => "서비스 목록",
        (En, Endpoints) => "Endpoints",
        (Ko, Endpoints) => "엔드포인트",
        (En, NoEndpoints) => "no endpoints: no ready pod matches the selector",
        (Ko, NoEndpoints) => "엔드포인트 없음: 셀렉터에 맞는 Ready 파드가 없습니다",
        (En, NewRs) => "new",
        (Ko, NewRs) => "새 레플리카셋",
        (En, OldRs) => "old",
        (Ko, OldRs) => "이전 레플리카셋",
        (En, PodsList) => "Pods",
        (Ko, PodsList) => "파드 목록",
        (En, Close) => "Close",
        (Ko, Close) => "닫기",
        (En, Files) => "Files",
        (Ko, Files) => "파일",
        (En, NewFile) => "New file",
        (Ko, NewFile) => "새 파일",
        (En, RenameFile) => "Rename",
        (Ko, RenameFile) => "이름 바꾸기",
        (En, CloseFile) => "Close file",
        (Ko, CloseFile) => "파일 닫기",
        (En, FileExists) => "a file of that name is already open",
        (Ko, FileExists) => "같은 이름의 파일이 이미 열려 있습니다",
        (En, Apply) => "Apply",
        (Ko, Apply) => "적용 (Apply)",
        (En, NoProblems) => "No problems found.",
        (Ko, NoProblems) => "문제가 없습니다.",
        (En, Suggest) => "Suggest",
        (Ko, Suggest) => "제안",
        (En, Suggestions) => "Suggestions",
        (Ko, Suggestions) => "입력 제안",
        (En, SuggestTitle) => "Suggest what can be typed here (Ctrl+Space)",
        (Ko, SuggestTitle) => "여기에 입력할 수 있는 것을 제안합니다 (Ctrl+Space)",
        (En, LoadingFields) => "Loading the API's field lists…",
        (Ko, LoadingFields) => "API 필드 목록을 불러오는 중…",
        (En, NothingToSuggest) => "Nothing to suggest here",
        (Ko, NothingToSuggest) => "여기에는 제안할 것이 없습니다",
        (En, FieldDoc) => "Field documentation",
        (Ko, FieldDoc) => "필드 설명",
        (En, DocLoading) => "Loading the field's documentation…",
        (Ko, DocLoading) => "필드 설명을 불러오는 중…",
        (En, Required) => "required",
        (Ko, Required) => "필수",
        (En, RunInTerminal) => "Run in the terminal",
        (Ko, RunInTerminal) => "터미널에서 실행",
        (En, QuickFix) => "Quick fix",
        (Ko, QuickFix) => "빠른 수정",
        (En, Undo) => "Undo",
        (Ko, Undo) => "실행 취소",
        (En, Redo) => "Redo",
        (Ko, Redo) => "다시 실행",
        (En, EditorKeys) => "Once you edit, Tab indents and Shift+Tab outdents · Esc then Tab leaves the editor · Ctrl+Space suggests · Ctrl+/ comments · Ctrl+Z undoes · Ctrl+Enter applies",
        (Ko, EditorKeys) => "편집을 시작하면 Tab 들여쓰기, Shift+Tab 내어쓰기 · Esc 다음 Tab으로 편집기 나가기 · Ctrl+Space 입력 제안 · Ctrl+/ 주석 · Ctrl+Z 실행 취소 · Ctrl+Enter 적용",
        (En, NotReady) => "not ready",
        (Ko, NotReady) => "준비되지 않음",
        (En, Strategy) => "strategy",
        (Ko, Strategy) => "배포 전략",
        (En, Paused) => "paused",
        (Ko, Paused) => "일시 중지됨",
        (En, LessonTitle) => "Lesson",
        (Ko, LessonTitle) => "레슨",
        (En, Lessons) => "Lessons",
        (Ko, Lessons) => "레슨 목록",
        (En, NoLesson) => "Pick a lesson for a guided lab, or keep playing freely.",
        (Ko, NoLesson) => "레슨을 골라 안내를 따라 실습하거나, 자유롭게 계속 해 보세요.",
        (En, PrevStep) => "Previous step",
        (Ko, PrevStep) => "이전 단계",
        (En, NextStep) => "Next step",
        (Ko, NextStep) => "다음 단계",
        (En, RunIt) => "Run it",
        (Ko, RunIt) => "실행하기",
        (En, RestartStep) => "Restart this step",
        (Ko, RestartStep) => "이 단계 다시 하기",
        (En, RestartStepWhy) => "Rewinds the cluster to where this step began; your editor text is kept",
        (Ko, RestartStepWhy) => "클러스터를 이 단계를 시작한 시점으로 되돌립니다. 편집기의 글은 그대로 남습니다",
        (En, SinceThisStep) => "Requests since this step began",
        (Ko, SinceThisStep) => "이 단계를 시작한 뒤의 요청",
        (En, NoRequestsYet) => "No request yet.",
        (Ko, NoRequestsYet) => "아직 요청이 없습니다.",
        (En, StartThisTraffic) => "Start this traffic",
        (Ko, StartThisTraffic) => "이 트래픽 시작",
        (En, Goal) => "Check",
        (Ko, Goal) => "확인",
        (En, GoalMet) => "done",
        (Ko, GoalMet) => "완료",
        (En, GoalNotYet) => "not yet",
        (Ko, GoalNotYet) => "아직",
        (En, LessonDone) => "Lesson complete. Well done!",
        (Ko, LessonDone) => "레슨을 마쳤습니다. 수고하셨어요!",
        (En, LeaveLesson) => "Leave the lesson",
        (Ko, LeaveLesson) => "레슨 나가기",
        (En, Share) => "Share",
        (Ko, Share) => "공유",
        (En, ShareHint) => "This link holds the whole run (files, commands, times, settings, lesson step and playhead); opening it replays it exactly. Nothing is sent anywhere.",
        (Ko, ShareHint) => "이 링크에는 실행 전체(파일, 명령, 시각, 설정, 레슨 단계, 재생 위치)가 들어 있어서, 열면 똑같이 다시 재생됩니다. 어디에도 전송되지 않습니다.",
        (En, Copy) => "Copy",
        (Ko, Copy) => "복사",
        (En, Copied) => "Copied",
        (Ko, Copied) => "복사했습니다",
        (En, Characters) => "characters",
        (Ko, Characters) => "자",
        (En, Reset) => "Reset",
        (Ko, Reset) => "초기화",
        (En, ResetConfirm) => "Start over? Your files, your run and your lesson progress in this browser will be deleted.",
        (Ko, ResetConfirm) => "처음부터 다시 할까요? 이 브라우저에 저장된 파일과 실행 기록, 레슨 진행 상황이 지워집니다.",
        (En, ResetYes) => "Delete and start over",
        (Ko, ResetYes) => "지우고 새로 시작",
        (En, Cancel) => "Cancel",
        (Ko, Cancel) => "취소",
        (En, Export) => "Export",
        (Ko, Export) => "내보내기",
        (En, ExportYaml) => "Files as one YAML",
        (Ko, ExportYaml) => "파일을 YAML 하나로",
        (En, ExportScript) => "Script for a real cluster",
        (Ko, ExportScript) => "실제 클러스터용 스크립트",
        (En, LinkOpened) => "You opened a shared run.",
        (Ko, LinkOpened) => "공유된 실행을 열었습니다.",
        (En, LinkBad) => "This link could not be opened, so the page opened as usual and nothing of yours changed:",
        (Ko, LinkBad) => "이 링크는 열 수 없어서 평소처럼 페이지를 열었습니다. 여러분의 작업은 그대로입니다:",
        (En, RestorePrevious) => "Bring back my own work",
        (Ko, RestorePrevious) => "내 작업 되돌리기",
        (En, SaveFailed) => "Your work could not be saved in this browser (storage is full or switched off); it stays on this page until you close it:",
        (Ko, SaveFailed) => "이 브라우저에 작업을 저장하지 못했습니다(저장 공간이 가득 찼거나 꺼져 있음). 페이지를 닫기 전까지는 화면에 남아 있습니다:",
        (En, Dismiss) => "Dismiss",
        (Ko, Dismiss) => "닫기",
        (En, LessonBroken) => "This lesson file could not be read:",
        (Ko, LessonBroken) => "이 레슨 파일을 읽을 수 없습니다:",
        (En, SavedBad) => "The run saved in this browser could not be read; it is kept aside (kubeplay.run.unreadable) and the page opened as new:",
        (Ko, SavedBad) => "이 브라우저에 저장된 실행 기록을 읽을 수 없어 따로 보관해 두고(kubeplay.run.unreadable) 새로 열었습니다:",
        (En, Kept) => "The lesson started in a new run; the run you had is kept.",
        (Ko, Kept) => "레슨을 새 실행으로 시작했습니다. 하던 실행은 따로 보관해 두었습니다.",
        (En, Watching) => "Watching: new rows appear as time runs. Ctrl+C stops (so does the next command).",
        (Ko, Watching) => {
            "지켜보는 중: 시간이 흐르면 새 줄이 나타납니다. Ctrl+C로 멈춥니다 (다음 명령을 입력해도 멈춥니다)."
        }
        (En, DataLoading) => "Loading kubectl explain's documentation…",
        (Ko, DataLoading) => "kubectl explain 문서를 불러오는 중…",
        (En, Waiting) => {
            "Waiting: the command finishes when the clock gets there (▶ plays it). Ctrl+C stops it; a new command runs \
             after it."
        }
        (Ko, Waiting) => {
            "기다리는 중: 시계가 그 시각에 이르면 명령이 끝납니다 (▶로 재생). Ctrl+C로 멈추고, 새 명령은 이 명령이 끝난 뒤 \
             실행됩니다."
        }
    }
}

/// What a terminal line that waited for data says when the page could not fetch it (`file`, and why).
pub fn data_failed(lang: Lang, file: &str, reason: &str) -> String {
    match lang {
        Lang::En => format!("error: kubeplay could not load {file} from the page's folder ({reason}); type the line again to retry"),
        Lang::Ko => format!("error: 페이지 폴더에서 {file}을(를) 불러오지 못했습니다 ({reason}). 다시 시도하려면 명령을 다시 입력하세요"),
    }
}

/// A quick fix's button: what it will do.
pub fn fix_title(lang: Lang, title: &crate::assist::Title) -> String {
    use crate::assist::Title as T;
    match (lang, title) {
        (Lang::En, T::Rename(to)) => format!("Rename to {to}"),
        (Lang::Ko, T::Rename(to)) => format!("{to}(으)로 이름 바꾸기"),
        (Lang::En, T::Move(to)) => format!("Move to {to}"),
        (Lang::Ko, T::Move(to)) => format!("{to}(으)로 옮기기"),
        (Lang::En, T::Quote(v)) => format!("Quote {v} as a string"),
        (Lang::Ko, T::Quote(v)) => format!("{v}에 따옴표를 붙여 문자열로"),
        (Lang::En, T::MatchSelector) => "Make the selector match the template's labels".into(),
        (Lang::Ko, T::MatchSelector) => "selector를 템플릿의 labels와 같게".into(),
        (Lang::En, T::Kind(k)) => format!("Change the kind to {k}"),
        (Lang::Ko, T::Kind(k)) => format!("kind를 {k}(으)로 바꾸기"),
        (Lang::En, T::Replace(v)) => format!("Use {v}"),
        (Lang::Ko, T::Replace(v)) => format!("{v}(으)로 바꾸기"),
    }
}

/// The first budget line: the pods the controller counts against `replicas + maxSurge`.
pub fn budget_counted(lang: Lang, b: &Budget) -> String {
    match lang {
        Lang::En => {
            format!("pods counted {} / max {} ({} + surge {})", b.counted, b.max_total(), b.replicas, b.max_surge)
        }
        Lang::Ko => {
            format!("파드 수 {} / 최대 {} ({} + surge {})", b.counted, b.max_total(), b.replicas, b.max_surge)
        }
    }
}

/// The second budget line: available pods against `replicas − maxUnavailable`.
pub fn budget_available(lang: Lang, b: &Budget) -> String {
    match lang {
        Lang::En => {
            format!(
                "available {} / min {} ({} − unavailable {})",
                b.available,
                b.min_available(),
                b.replicas,
                b.max_unavailable
            )
        }
        Lang::Ko => {
            format!(
                "사용 가능 {} / 최소 {} ({} − unavailable {})",
                b.available,
                b.min_available(),
                b.replicas,
                b.max_unavailable
            )
        }
    }
}

/// How the budget's numbers came from the spec (`ResolveFenceposts`): a percentage of the replicas, surge rounded
/// up and unavailable rounded down, and 1 unavailable when both would be 0.
pub fn budget_rounding(lang: Lang, b: &Budget) -> String {
    let part = |name: &str, spec: &str, resolved: i32, up: bool| -> String {
        match spec.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
            Some(pct) => {
                let exact = pct * i64::from(b.replicas);
                let shown = format!("{}.{:02}", exact / 100, exact % 100);
                match (lang, up) {
                    (Lang::En, true) => format!("{name} {spec} of {} = {shown}, rounded up → {resolved}", b.replicas),
                    (Lang::En, false) => {
                        format!("{name} {spec} of {} = {shown}, rounded down → {resolved}", b.replicas)
                    }
                    (Lang::Ko, true) => format!("{name}: {}의 {spec} = {shown}, 올림 → {resolved}", b.replicas),
                    (Lang::Ko, false) => format!("{name}: {}의 {spec} = {shown}, 내림 → {resolved}", b.replicas),
                }
            }
            None => format!("{name} {spec} → {resolved}"),
        }
    };
    // ResolveFenceposts: when both round to 0, one pod may be unavailable.
    let rounded_unavailable = match b.max_unavailable_spec.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
        Some(pct) => pct * i64::from(b.replicas) / 100,
        None => b.max_unavailable_spec.parse().unwrap_or(0),
    };
    let fencepost = b.max_surge == 0 && b.max_unavailable == 1 && rounded_unavailable == 0;
    let mut text = format!(
        "{}; {}",
        part("maxSurge", &b.max_surge_spec, b.max_surge, true),
        part("maxUnavailable", &b.max_unavailable_spec, if fencepost { 0 } else { b.max_unavailable }, false)
    );
    if fencepost {
        text.push_str(match lang {
            Lang::En => " (both would be 0, so 1 pod may be unavailable)",
            Lang::Ko => " (둘 다 0이면 진행할 수 없으므로 파드 1개까지 사용 불가를 허용)",
        });
    }
    text
}

/// "Step 2 of 5".
pub fn step_of(lang: Lang, step: usize, steps: usize) -> String {
    match lang {
        Lang::En => format!("Step {step} of {steps}"),
        Lang::Ko => format!("{steps}단계 중 {step}단계"),
    }
}

/// A lesson's saved progress in the picker: "3/5 steps".
pub fn progress(lang: Lang, done: usize, steps: usize) -> String {
    match lang {
        Lang::En => format!("{done}/{steps} steps"),
        Lang::Ko => format!("{steps}단계 중 {done}단계 완료"),
    }
}

/// The screen-reader summary of the stage: one sentence per Deployment. It changes only when the state does.
pub fn summary(lang: Lang, s: &Stage) -> String {
    let mut parts: Vec<String> = s
        .deployments
        .iter()
        .map(|d| {
            let terminating = d
                .lanes
                .iter()
                .flat_map(|l| &l.pods)
                .filter(|p| p.state == crate::scenario::stage::PodState::Terminating)
                .count();
            let revision = d.revision.unwrap_or(0);
            match lang {
                Lang::En => format!(
                    "Deployment {}: {} of {} pods ready, {} up to date, revision {revision}{}.",
                    d.name,
                    d.ready,
                    d.replicas,
                    d.up_to_date,
                    if terminating > 0 { format!(", {terminating} terminating") } else { String::new() }
                ),
                Lang::Ko => format!(
                    "디플로이먼트 {}: 파드 {}개 중 {}개 Ready, 최신 {}개, 리비전 {revision}{}.",
                    d.name,
                    d.replicas,
                    d.ready,
                    d.up_to_date,
                    if terminating > 0 { format!(", 종료 중 {terminating}개") } else { String::new() }
                ),
            }
        })
        .collect();
    if parts.is_empty() {
        parts.push(text(lang, Msg::StageEmpty).to_string());
    }
    parts.join(" ")
}

/// What the client saw, as the traffic panel groups failures (curl's own words are in `kubectl::curl`).
pub fn failure_label(lang: Lang, f: Failure) -> &'static str {
    match (lang, f) {
        (Lang::En, Failure::Unresolved) => "could not resolve host",
        (Lang::Ko, Failure::Unresolved) => "호스트 이름을 찾지 못함",
        (Lang::En, Failure::Refused) => "connection refused",
        (Lang::Ko, Failure::Refused) => "연결 거부됨",
        (Lang::En, Failure::TimedOut) => "timed out",
        (Lang::Ko, Failure::TimedOut) => "시간 초과",
        (Lang::En, Failure::NoRoute) => "no route to host",
        (Lang::Ko, Failure::NoRoute) => "호스트로 가는 경로 없음",
        (Lang::En, Failure::Tls) => "TLS handshake failed",
        (Lang::Ko, Failure::Tls) => "TLS 핸드셰이크 실패",
    }
}

/// Why a request failed, in one line, and what to do instead.
pub fn cause_text(lang: Lang, cause: Cause) -> (&'static str, &'static str) {
    use Cause::*;
    match (lang, cause) {
        (Lang::En, OutsideName) => (
            "The workstation is outside the cluster: its resolver does not know the cluster's names (Services, Pods).",
            "Use a node's IP with the Service's NodePort (or a LoadBalancer address), or send from a Pod.",
        ),
        (Lang::Ko, OutsideName) => (
            "내 컴퓨터는 클러스터 밖에 있어서 클러스터 안의 이름(서비스, 파드)을 찾을 수 없습니다.",
            "노드 IP와 서비스의 NodePort(또는 LoadBalancer 주소)를 쓰거나, 파드에서 요청을 보내세요.",
        ),
        (Lang::En, UnknownName) => (
            "The cluster DNS has no such name: no Service of that name in that namespace.",
            "Check the name with kubectl get svc; from another namespace write <service>.<namespace>.",
        ),
        (Lang::Ko, UnknownName) => (
            "클러스터 DNS에 그런 이름이 없습니다. 그 네임스페이스에 그 이름의 서비스가 없습니다.",
            "kubectl get svc로 이름을 확인하세요. 다른 네임스페이스라면 <서비스>.<네임스페이스>로 쓰세요.",
        ),
        (Lang::En, ExternalName) => (
            "An ExternalName Service is only a DNS alias to a name outside the cluster, which this offline cluster cannot reach.",
            "Send to a Service with a selector (ClusterIP, NodePort or LoadBalancer).",
        ),
        (Lang::Ko, ExternalName) => (
            "ExternalName 서비스는 클러스터 밖 이름을 가리키는 DNS 별칭일 뿐이고, 이 오프라인 클러스터는 밖으로 나갈 수 없습니다.",
            "셀렉터가 있는 서비스(ClusterIP, NodePort, LoadBalancer)로 보내세요.",
        ),
        (Lang::En, NoAddress) => (
            "A headless Service resolves to its ready Pods, and it has none yet.",
            "Wait until its Pods are Ready (kubectl get pods), or check that its selector matches their labels.",
        ),
        (Lang::Ko, NoAddress) => (
            "헤드리스 서비스의 이름은 준비된 파드 주소로 풀리는데, 아직 준비된 파드가 없습니다.",
            "파드가 Ready가 될 때까지 기다리거나(kubectl get pods), 셀렉터가 파드 레이블과 맞는지 확인하세요.",
        ),
        (Lang::En, DnsDown) => (
            "No DNS server answered: the cluster DNS (CoreDNS in kube-system) is not ready.",
            "Check kubectl get pods -n kube-system, or use an IP address meanwhile.",
        ),
        (Lang::Ko, DnsDown) => (
            "DNS 서버가 응답하지 않습니다. 클러스터 DNS(kube-system의 CoreDNS)가 준비되지 않았습니다.",
            "kubectl get pods -n kube-system을 확인하거나, 그동안은 IP 주소를 쓰세요.",
        ),
        (Lang::En, OutsideAddress) => (
            "ClusterIPs and Pod IPs exist only inside the cluster: the workstation's packets to them go nowhere.",
            "Use a node's IP with the Service's NodePort (or a LoadBalancer address), or send from a Pod.",
        ),
        (Lang::Ko, OutsideAddress) => (
            "ClusterIP와 파드 IP는 클러스터 안에만 있어서, 내 컴퓨터가 보낸 패킷은 어디에도 닿지 않습니다.",
            "노드 IP와 서비스의 NodePort(또는 LoadBalancer 주소)를 쓰거나, 파드에서 요청을 보내세요.",
        ),
        (Lang::En, NotAServicePort) => (
            "The port is not one of the Service's ports, so no kube-proxy rule matches it.",
            "Use the Service's port (kubectl get svc, PORT(S)), not the container's port.",
        ),
        (Lang::Ko, NotAServicePort) => (
            "그 포트는 서비스의 포트가 아니어서 kube-proxy 규칙에 걸리지 않습니다.",
            "컨테이너 포트가 아니라 서비스의 포트(kubectl get svc의 PORT(S))를 쓰세요.",
        ),
        (Lang::En, NotProgrammed) => (
            "The node's kube-proxy has not programmed this Service yet.",
            "Wait a moment: each node's kube-proxy applies Service changes a little later.",
        ),
        (Lang::Ko, NotProgrammed) => (
            "그 노드의 kube-proxy가 아직 이 서비스 규칙을 만들지 않았습니다.",
            "잠시 기다리세요. 노드마다 kube-proxy가 서비스 변경을 조금 늦게 반영합니다.",
        ),
        (Lang::En, NoEndpoints) => (
            "The Service has no ready endpoint, so kube-proxy rejects the connection.",
            "Check that the selector matches the Pods' labels and that they are Ready (kubectl get endpointslices).",
        ),
        (Lang::Ko, NoEndpoints) => (
            "서비스에 준비된 엔드포인트가 없어서 kube-proxy가 연결을 거부합니다.",
            "셀렉터가 파드 레이블과 맞는지, 파드가 Ready인지 확인하세요(kubectl get endpointslices).",
        ),
        (Lang::En, NoLocalEndpoint) => (
            "externalTrafficPolicy: Local, and this node runs no ready Pod of the Service: the packet is dropped.",
            "Send to a node that runs one of its Pods, or use externalTrafficPolicy: Cluster.",
        ),
        (Lang::Ko, NoLocalEndpoint) => (
            "externalTrafficPolicy가 Local인데 이 노드에는 그 서비스의 준비된 파드가 없어서 패킷이 버려집니다.",
            "그 파드가 있는 노드로 보내거나, externalTrafficPolicy를 Cluster로 바꾸세요.",
        ),
        (Lang::En, NoNodes) => (
            "The load balancer has no node to send to.",
            "Check kubectl get nodes: the balancer uses the worker nodes.",
        ),
        (Lang::Ko, NoNodes) => (
            "로드 밸런서가 요청을 넘길 노드가 없습니다.",
            "kubectl get nodes를 확인하세요. 로드 밸런서는 워커 노드로 보냅니다.",
        ),
        (Lang::En, NotANodePort) => (
            "Nothing listens on that port of the node: it is not any Service's NodePort.",
            "Look up the NodePort with kubectl get svc (the number after the colon in PORT(S), 30000–32767).",
        ),
        (Lang::Ko, NotANodePort) => (
            "노드의 그 포트에는 아무것도 없습니다. 어떤 서비스의 NodePort도 아닙니다.",
            "kubectl get svc의 PORT(S)에서 콜론 뒤의 번호(30000–32767)가 NodePort입니다.",
        ),
        (Lang::En, NotListening) => (
            "The Pod is there, but no container listens on that port.",
            "Check the containerPort and the Service's targetPort.",
        ),
        (Lang::Ko, NotListening) => (
            "파드는 있지만 그 포트에서 기다리는 컨테이너가 없습니다.",
            "containerPort와 서비스의 targetPort를 확인하세요.",
        ),
        (Lang::En, Terminating) => (
            "The Pod was shutting down and its container had already exited, but a node's kube-proxy had not yet removed it.",
            "A preStop delay (for example sleep 5) keeps a Pod answering until every kube-proxy has caught up.",
        ),
        (Lang::Ko, Terminating) => (
            "파드가 종료되는 중이라 컨테이너는 이미 멈췄는데, 어떤 노드의 kube-proxy는 아직 그 파드를 빼지 않았습니다.",
            "preStop에 지연(예: sleep 5)을 두면 모든 kube-proxy가 따라올 때까지 파드가 계속 응답합니다.",
        ),
        (Lang::En, Gone) => (
            "Nobody holds that address: its Pod was deleted, and a Pod's IP changes when the Pod is replaced.",
            "Send to the Service, not to a Pod IP; during a rollout, a preStop delay covers kube-proxies that lag.",
        ),
        (Lang::Ko, Gone) => (
            "그 주소를 가진 곳이 없습니다. 그 파드는 삭제되었고, 파드 IP는 파드가 바뀌면 달라집니다.",
            "파드 IP가 아니라 서비스로 보내세요. 롤아웃 중에는 preStop 지연이 늦은 kube-proxy를 덮어 줍니다.",
        ),
        (Lang::En, Localhost) => (
            "localhost is the client itself, and nothing listens there.",
            "Send to a Service's name (from a Pod) or to a node's IP and NodePort (from the workstation).",
        ),
        (Lang::Ko, Localhost) => (
            "localhost는 요청을 보낸 자기 자신이고, 거기에는 기다리는 프로그램이 없습니다.",
            "파드에서는 서비스 이름으로, 내 컴퓨터에서는 노드 IP와 NodePort로 보내세요.",
        ),
        (Lang::En, PlainHttp) => (
            "https:// to a server that speaks plain HTTP: the TLS handshake fails.",
            "Use http://.",
        ),
        (Lang::Ko, PlainHttp) => (
            "일반 HTTP로 답하는 서버에 https://로 보내서 TLS 핸드셰이크가 실패했습니다.",
            "http://를 쓰세요.",
        ),
        (Lang::En, UntrustedCertificate) => (
            "The API server's certificate is signed by the cluster's own CA, which the client does not trust.",
            "Pass the cluster's CA, or skip the check with curl -k.",
        ),
        (Lang::Ko, UntrustedCertificate) => (
            "API 서버의 인증서는 클러스터 자체 CA가 서명한 것이라 클라이언트가 신뢰하지 않습니다.",
            "클러스터 CA를 지정하거나 curl -k로 검사를 건너뛰세요.",
        ),
    }
}

/// A comparison as a lesson check states it: `3`, `at least 1` / `1 이상` (`Cmp`'s `Display` is the English).
pub fn cmp_text(lang: Lang, c: Cmp) -> String {
    let n = c.n;
    match (lang, c.op) {
        (Lang::En, _) => c.to_string(),
        (Lang::Ko, Op::Eq) => n.to_string(),
        (Lang::Ko, Op::Ge) => format!("{n} 이상"),
        (Lang::Ko, Op::Le) => format!("{n} 이하"),
        (Lang::Ko, Op::Gt) => format!("{n} 초과"),
        (Lang::Ko, Op::Lt) => format!("{n} 미만"),
    }
}

/// What a check counts, in Korean (`Counted`'s `Display` is the English).
fn counted_ko(what: Counted) -> String {
    match what {
        Counted::Pods => "파드".into(),
        Counted::ReadyPods => "Ready 파드".into(),
        Counted::ReplicaSets => "레플리카셋".into(),
        Counted::DesiredReplicas => "원하는 레플리카 수".into(),
        Counted::ReadyEndpoints => "준비된 엔드포인트".into(),
        Counted::RunningTraffic => "실행 중인 트래픽".into(),
        Counted::Answered => "응답받은 요청".into(),
        Counted::Failed => "실패한 요청".into(),
        Counted::Events(r) => format!("{} 이벤트", r.as_str()),
    }
}

fn expect_text(lang: Lang, e: &Expect) -> String {
    match (lang, e) {
        (Lang::En, e) => e.to_string(),
        (Lang::Ko, Expect::Equals(s)) => format!("{s:?}"),
        (Lang::Ko, Expect::Exists(true)) => "값이 있음".into(),
        (Lang::Ko, Expect::Exists(false)) => "값이 없음".into(),
        (Lang::Ko, Expect::Between(lo, hi)) => format!("{lo}..{hi} 사이의 수"),
    }
}

/// What a lesson check found instead of what it wants: the current value, in the page's language.
pub fn check_miss(lang: Lang, miss: &Miss) -> String {
    if lang == Lang::En {
        return miss.to_string();
    }
    match miss {
        Miss::Count { what, got, want } => {
            format!("{}: {got} (원하는 값: {})", counted_ko(*what), cmp_text(lang, *want))
        }
        Miss::NoDeployment(d) => format!("디플로이먼트 {d:?}가 없습니다"),
        Miss::NoService(s) => format!("서비스 {s:?}가 없습니다"),
        Miss::NoObject { kind, name } => format!("{} {name:?}가 없습니다", kind.name()),
        Miss::StillExists { kind, name } => format!("{} {name:?}가 아직 있습니다", kind.name()),
        Miss::Field { path, value, want } => {
            format!("{path}의 값은 {value:?} (원하는 값: {})", expect_text(lang, want))
        }
        Miss::BadPath(e) => e.clone(),
        Miss::NoPodReady => "Ready인 파드가 없습니다".into(),
        Miss::Silent(pods) => format!("아직 응답하지 않은 파드: {}", pods.join(", ")),
        Miss::NotTyped(lines) => format!("아직 실행하지 않았습니다: {}", lines.join(" 또는 ")),
    }
}

/// One entry of the decision log. English is the decision's own `Display`; in Korean the sentence is translated and
/// the object names, numbers, field names and the API server's messages stay as they are.
pub fn decision(lang: Lang, why: &Why) -> String {
    if lang == Lang::En {
        return why.to_string();
    }
    let d = |ms: Millis| go_duration(ms);
    match why {
        Why::ReleasedReplicaSet { rs } => format!("레플리카셋 {rs}을(를) 놓아줌: 레이블이 셀렉터와 더 이상 맞지 않습니다"),
        Why::AdoptedReplicaSet { rs } => format!("주인 없는 레플리카셋 {rs}을(를) 입양함: 레이블이 셀렉터와 맞습니다"),
        Why::RevisionReused { rs, revision, before } => {
            let mut s = format!(
                "레플리카셋 {rs}이(가) 다시 템플릿과 같아짐: 리비전이 {revision}이 됩니다 (가장 높은 옛 리비전 {} + 1)",
                revision - 1
            );
            if let Some(b) = before {
                s.push_str(&format!(", {b}은(는) revision-history로"));
            }
            s
        }
        Why::CreatedRolling { rs, revision, size, counted, replicas, surge } => format!(
            "템플릿이 바뀜: 레플리카셋 {rs}(리비전 {revision})을(를) {size}개로 생성: 옛 파드 {counted}개를 세고, 최대 {}개 \
             허용 (replicas {replicas} + maxSurge {surge})",
            i64::from(*replicas) + i64::from(*surge)
        ),
        Why::CreatedRecreate { rs, revision, size } => {
            format!("레플리카셋 {rs}(리비전 {revision})을(를) 레플리카 {size}개 모두로 생성")
        }
        Why::HashCollision { rs, count } => format!(
            "해시 충돌: 다른 템플릿의 레플리카셋 {rs}이(가) 이미 있습니다. collisionCount가 {count}이(가) 되고 이름이 바뀝니다"
        ),
        Why::Scaled { rs, from, to, why } => format!("{rs}을(를) {from}→{to}로 조정: {}", scale_ko(why)),
        Why::RecreateWaiting { pods } => {
            format!("Recreate: 옛 파드 {pods}개가 모두 종료될 때까지 새 파드를 만들지 않고 기다립니다")
        }
        Why::DeletedOldReplicaSet { rs, revision, limit } => format!(
            "옛 레플리카셋 {rs}(리비전 {revision}) 삭제: 옛 레플리카셋이 revisionHistoryLimit {limit}개보다 많습니다"
        ),
        Why::DeadlineExceeded => "progressDeadlineSeconds 안에 진행이 없음: Progressing=False \
                                  (ProgressDeadlineExceeded). 자동으로 롤백되지는 않습니다"
            .into(),
        Why::ReleasedPod { pod } => format!("파드 {pod}을(를) 놓아줌: 레이블이 셀렉터와 더 이상 맞지 않습니다"),
        Why::AdoptedPod { pod } => format!("주인 없는 파드 {pod}을(를) 입양함: 레이블이 셀렉터와 맞습니다"),
        Why::CreatingPods { n, active, want, burst } => format!(
            "파드 {n}개 생성: 활성 {active}개 < 원하는 {want}개{}",
            if *burst { " (한 번에 최대 500개)" } else { "" }
        ),
        Why::DeletingPods { n, active, want, victims } => format!(
            "파드 {n}개 삭제: 활성 {active}개 > 원하는 {want}개. 순위로 고른 파드: {}",
            victims.join(", ")
        ),
        Why::Unschedulable { pod, message } => format!("{pod}을(를) 배치할 수 없음: {message}"),
        Why::Bound { node, feasible, fewest_nodes, fewest } => format!(
            "{node}에 배치: 가능한 노드 {feasible}개 중 파드가 가장 적은({fewest}개) 노드 {fewest_nodes}개"
        ),
        Why::Admitted { node, ip } => format!("{node}이(가) 파드를 받아들임: IP {ip}의 샌드박스"),
        Why::Terminating { grace, containers, gone_in } => {
            let parts: Vec<String> = containers
                .iter()
                .map(|s| {
                    format!(
                        "{}: preStop {} + SIGTERM 후 종료 {}{}",
                        s.container,
                        d(s.pre_stop),
                        d(s.exit),
                        if s.killed { ", 유예 기간이 끝나 강제 종료" } else { "" }
                    )
                })
                .collect();
            let parts = if parts.is_empty() { "실행 중인 컨테이너 없음".to_string() } else { parts.join("; ") };
            format!("종료 중 (유예 {}): {parts}; +{} 뒤에 사라집니다", d(*grace), d(*gone_in))
        }
        Why::PodRemoved => "모든 컨테이너가 멈춤: 파드 오브젝트를 지웁니다".into(),
        Why::PullFailed { image, next } => format!("{image} 풀 실패: {} 뒤에 다시 시도합니다", d(*next)),
        Why::CrashBackOff { container, backoff } => {
            format!("컨테이너 {container}이(가) 종료됨: back-off {} 뒤에 재시작합니다", d(*backoff))
        }
        Why::LivenessRestart { container, failures } => {
            format!("컨테이너 {container}이(가) liveness 프로브에 {failures}번 실패: 재시작합니다")
        }
        Why::EndpointSliceCreated { endpoints } => format!("생성: 엔드포인트 {endpoints}개"),
        Why::EndpointSliceUpdated { endpoints } => format!("갱신: 엔드포인트 {endpoints}개"),
        Why::EndpointsCreated => "엔드포인트를 생성했습니다".into(),
        Why::EndpointsUpdated => "엔드포인트를 갱신했습니다".into(),
        Why::LoadBalancerProvisioning { delay } => format!("로드 밸런서 준비 중 ({delay} ms 뒤 준비됨)"),
        Why::LoadBalancerReady { ip } => format!("로드 밸런서 준비 완료: {ip}"),
        Why::OwnerGone { object } => format!("{object} 삭제: 주인이 사라졌습니다 (background 연쇄 삭제)"),
        Why::Refused { verb, object, reason, message } => {
            format!("{object}에 대한 {verb}이(가) 거부됨: {reason}: {message}")
        }
        Why::NotSettled => "컨트롤러가 안정되지 않아 이 순간의 처리를 멈춥니다".into(),
    }
}

/// Why a ReplicaSet was resized, in Korean (see [`decision`]).
fn scale_ko(why: &Scale) -> String {
    match why {
        Scale::NewTooBig { have, want } => {
            format!("새 레플리카셋의 레플리카 {have}개가 디플로이먼트의 {want}개보다 많습니다")
        }
        Scale::NewGrows { counted, want, surge, have } => {
            let allowed = i64::from(*want) + i64::from(*surge);
            format!(
                "센 파드 {counted}개 < 허용 {allowed}개 (replicas {want} + maxSurge {surge}). 새 레플리카셋은 \
                 min(남은 자리 {}, 모자란 수 {})만큼 늘 수 있습니다",
                allowed - counted,
                want - have
            )
        }
        Scale::RecreateAll { want } => format!("Recreate: 새 레플리카셋이 레플리카 {want}개를 한 번에 모두 받습니다"),
        Scale::RecreateOldFirst => "Recreate: 새 파드를 만들기 전에 옛 파드를 모두 없앱니다".into(),
        Scale::Unhealthy { n, available, spec, budget } => {
            let mut s = format!("사용 불가능한 옛 파드 {n}개를 먼저 제거 ({spec}개 중 {available}개 사용 가능)");
            if let Some(b) = budget {
                s.push_str(&format!(
                    "; 예산: 파드 {} − minAvailable {} − 새 레플리카셋의 사용 불가 {} = {}개까지 제거 가능",
                    b.all_pods, b.min_available, b.new_unavailable, b.may_go
                ));
            }
            s
        }
        Scale::OldDown { available, min_available, replicas, max_unavailable, may_go } => format!(
            "사용 가능한 파드 {available}개 > minAvailable {min_available} (replicas {replicas} − maxUnavailable \
             {max_unavailable}): 옛 파드 {may_go}개를 줄일 수 있습니다"
        ),
        Scale::OnlyActive { want } => {
            format!("하나뿐인 활성 레플리카셋이 디플로이먼트의 레플리카 {want}개를 모두 맡습니다")
        }
        Scale::Saturated => "새 레플리카셋이 다 찼으므로 옛 레플리카셋은 0으로".into(),
        Scale::Proportional { current, allowed, want, surge, to_add, leftover } => {
            let mut s = format!(
                "비례 조정: 레플리카 {current}개 → 허용 {allowed}개 (replicas {want} + maxSurge {surge}), \
                 {to_add:+}개를 크기에 비례해 나눔"
            );
            if *leftover != 0 {
                s.push_str(&format!("; 나머지 {leftover:+}개는 첫 레플리카셋에"));
            }
            s
        }
    }
}

/// One condition of a lesson step's check, as the lesson panel lists it with its ✓ or ○.
pub fn check_condition(lang: Lang, check: &Check) -> String {
    let ko = lang == Lang::Ko;
    let c = |cmp: Cmp| cmp_text(lang, cmp);
    match check {
        Check::Pods(p) => {
            let mut whose = Vec::new();
            if let Some(d) = &p.deployment {
                whose.push(if ko { format!("디플로이먼트 {d}") } else { format!("Deployment {d}") });
            }
            if let Some(r) = p.revision {
                whose.push(if ko { format!("리비전 {r}") } else { format!("revision {r}") });
            }
            if let Some(i) = &p.image {
                whose.push(if ko { format!("이미지 {i}") } else { format!("image {i}") });
            }
            if let Some(s) = &p.selector {
                whose.push(if ko { format!("레이블 {s}") } else { format!("labels {s}") });
            }
            if let Some(s) = &p.status {
                whose.push(format!("STATUS {s}"));
            }
            let whose = whose.join(", ");
            let mut parts = Vec::new();
            if let Some(n) = p.count {
                parts.push(match (ko, whose.is_empty()) {
                    (true, true) => format!("파드 {}개", c(n)),
                    (true, false) => format!("{whose}의 파드 {}개", c(n)),
                    (false, true) => format!("{} pods", c(n)),
                    (false, false) => format!("{} pods of {whose}", c(n)),
                });
            }
            if let Some(n) = p.ready {
                parts.push(match (ko, whose.is_empty()) {
                    (true, true) => format!("Ready 파드 {}개", c(n)),
                    (true, false) => format!("{whose}의 Ready 파드 {}개", c(n)),
                    (false, true) => format!("{} Ready pods", c(n)),
                    (false, false) => format!("{} Ready pods of {whose}", c(n)),
                });
            }
            parts.join(if ko { ", " } else { "; " })
        }
        Check::ReplicaSets { deployment, revision, count, desired } => {
            let rev = revision.map(|r| if ko { format!(" 리비전 {r}") } else { format!(" of revision {r}") });
            let rev = rev.unwrap_or_default();
            let mut parts = Vec::new();
            if let Some(n) = count {
                parts.push(if ko {
                    format!("디플로이먼트 {deployment}의{rev} 레플리카셋 {}개", c(*n))
                } else {
                    format!("{} ReplicaSets{rev} of Deployment {deployment}", c(*n))
                });
            }
            if let Some(n) = desired {
                parts.push(if ko {
                    format!("디플로이먼트 {deployment}의{rev} 레플리카셋이 원하는 레플리카 합계 {}", c(*n))
                } else {
                    format!("{} desired replicas in the ReplicaSets{rev} of Deployment {deployment}", c(*n))
                });
            }
            parts.join(if ko { ", " } else { "; " })
        }
        Check::Field { kind, name, path, expect } => {
            if ko {
                format!("{} {name}의 {path}: {}", kind.name(), expect_text(lang, expect))
            } else {
                format!("{} {name}: {path} is {}", kind.name(), expect_text(lang, expect))
            }
        }
        Check::Endpoints { service, ready } => {
            if ko {
                format!("서비스 {service}의 준비된 엔드포인트 {}개", c(*ready))
            } else {
                format!("Service {service} has {} ready endpoints", c(*ready))
            }
        }
        Check::Requests(r) => {
            let from = r.from.as_deref().map(|f| match (ko, f) {
                (true, "workstation") => "내 컴퓨터에서 보낸 ".to_string(),
                (true, f) => format!("{f}에서 보낸 "),
                (false, "workstation") => " from the workstation".to_string(),
                (false, f) => format!(" from {f}"),
            });
            let from = from.unwrap_or_default();
            let by = match (&r.deployment, r.revision) {
                (Some(d), Some(v)) if ko => format!("디플로이먼트 {d} 리비전 {v}의 파드가 "),
                (Some(d), None) if ko => format!("디플로이먼트 {d}의 파드가 "),
                (None, Some(v)) if ko => format!("리비전 {v}의 파드가 "),
                (Some(d), Some(v)) => format!(" by pods of Deployment {d}, revision {v}"),
                (Some(d), None) => format!(" by pods of Deployment {d}"),
                (None, Some(v)) => format!(" by pods of revision {v}"),
                (None, None) => String::new(),
            };
            let mut parts = Vec::new();
            if let Some(n) = r.answered {
                parts.push(if ko {
                    format!("{from}요청 중 {by}응답한 요청 {}개", c(n))
                } else {
                    format!("{} requests{from} answered{by}", c(n))
                });
            }
            if let Some(n) = r.failed {
                parts.push(if ko {
                    format!("{from}요청 중 실패한 요청 {}개", c(n))
                } else {
                    format!("{} requests{from} failed", c(n))
                });
            }
            if r.each_pod {
                let d = r.deployment.clone().unwrap_or_default();
                parts.push(if ko {
                    format!("디플로이먼트 {d}의 Ready 파드가 모두 한 번 이상 응답")
                } else {
                    format!("every Ready pod of Deployment {d} answered at least once")
                });
            }
            if let Some(h) = &r.host {
                parts.push(if ko { format!("{h}(으)로 보낸 요청만") } else { format!("only requests to {h}") });
            }
            let since = if ko { " (이 단계를 시작한 뒤)" } else { " since this step began" };
            format!("{}{since}", parts.join(if ko { ", " } else { "; " }))
        }
        Check::Events { reason, kind, count } => {
            let of = kind.map(|k| if ko { format!("{}의 ", k.name()) } else { format!(" for a {}", k.name()) });
            let of = of.unwrap_or_default();
            if ko {
                format!("이 단계를 시작한 뒤 {of}{} 이벤트 {}개", reason.as_str(), c(*count))
            } else {
                format!("{} {} events{of} since this step began", c(*count), reason.as_str())
            }
        }
        Check::Ran(lines) => {
            let first = lines.first().cloned().unwrap_or_default();
            if ko {
                format!("실행: {first}")
            } else {
                format!("you ran {first}")
            }
        }
        Check::Traffic { running } => {
            if ko {
                format!("트래픽 {}개 실행 중", c(*running))
            } else {
                format!("{} traffic generators running", c(*running))
            }
        }
        Check::Absent { kind, name } => {
            if ko {
                format!("{} {name}가 없음", kind.name())
            } else {
                format!("no {} {name}", kind.name())
            }
        }
    }
}

/// A lesson step's need that does not hold: which earlier step it comes from, what it is, and what is there now.
/// `missing_now`: it is missing now; otherwise it was missing when the step began, so the step's work happened
/// without it (`found` is then what was found at that moment).
pub fn needs_text(lang: Lang, step: usize, condition: &str, found: &str, missing_now: bool) -> String {
    match (lang, missing_now) {
        (Lang::En, true) => format!("This step builds on step {step}: {condition}. Missing now: {found}."),
        (Lang::En, false) => format!(
            "This step builds on step {step}: {condition}. It was missing when this step began: {found}. What you \
             did here happened without it."
        ),
        (Lang::Ko, true) => {
            format!("이 단계는 {step}단계의 결과가 있어야 합니다: {condition}. 지금 없습니다: {found}.")
        }
        (Lang::Ko, false) => format!(
            "이 단계는 {step}단계의 결과가 있어야 합니다: {condition}. 이 단계를 시작할 때 없었습니다: {found}. 여기서 \
             한 작업은 그것 없이 일어났습니다."
        ),
    }
}

/// The button that goes back to the step a need comes from.
pub fn redo_step(lang: Lang, step: usize) -> String {
    match lang {
        Lang::En => format!("Go back to step {step} and do it (rewinds the cluster)"),
        Lang::Ko => format!("{step}단계로 돌아가 다시 하기 (클러스터를 되돌림)"),
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

    fn budget(replicas: i32, surge: &str, unavailable: &str, resolved: (i32, i32)) -> Budget {
        Budget {
            replicas,
            max_surge_spec: surge.into(),
            max_unavailable_spec: unavailable.into(),
            max_surge: resolved.0,
            max_unavailable: resolved.1,
            counted: replicas,
            available: replicas,
        }
    }

    #[test]
    fn the_budget_explains_its_rounding() {
        // product.md: "25% of 3 → surge 1, unavailable 0".
        let b = budget(3, "25%", "25%", (1, 0));
        assert_eq!(
            budget_rounding(Lang::En, &b),
            "maxSurge 25% of 3 = 0.75, rounded up → 1; maxUnavailable 25% of 3 = 0.75, rounded down → 0"
        );
        assert_eq!(
            budget_rounding(Lang::Ko, &b),
            "maxSurge: 3의 25% = 0.75, 올림 → 1; maxUnavailable: 3의 25% = 0.75, 내림 → 0"
        );
        assert_eq!(budget_counted(Lang::En, &b), "pods counted 3 / max 4 (3 + surge 1)");
        assert_eq!(budget_available(Lang::En, &b), "available 3 / min 3 (3 − unavailable 0)");
        // Both 0 after rounding: ResolveFenceposts allows one unavailable pod.
        let z = budget(3, "0", "10%", (0, 1));
        assert_eq!(
            budget_rounding(Lang::En, &z),
            "maxSurge 0 → 0; maxUnavailable 10% of 3 = 0.30, rounded down → 0 (both would be 0, so 1 pod may be unavailable)"
        );
        let ints = budget(10, "2", "1", (2, 1));
        assert_eq!(budget_rounding(Lang::En, &ints), "maxSurge 2 → 2; maxUnavailable 1 → 1");
    }

    #[test]
    fn every_failure_cause_is_explained_with_a_way_forward_in_each_language() {
        for cause in Cause::ALL {
            let (en, en_fix) = cause_text(Lang::En, cause);
            let (ko, ko_fix) = cause_text(Lang::Ko, cause);
            for t in [en, en_fix, ko, ko_fix] {
                assert!(!t.trim().is_empty(), "{cause:?}");
            }
            assert!(ko.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)), "{cause:?}: {ko}");
            assert_ne!(en, ko, "{cause:?}");
        }
        let explained: std::collections::BTreeSet<&str> =
            Cause::ALL.iter().map(|c| cause_text(Lang::En, *c).0).collect();
        assert_eq!(explained.len(), Cause::ALL.len(), "every cause has its own explanation");
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
