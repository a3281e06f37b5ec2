//! The maps a user starts from: an empty new map and the reference journey
//! ("Sorting out a surprise on my bill").

use super::{
    Card, CardId, Channel, Curve, CurveId, CurveKind, DEFAULT_STAGE_WIDTH, Document, Emotion,
    EmotionPoint, Lane, LaneId, LaneKind, Persona, PersonaId, PointId, Stage, StageId,
};

/// The lane set a new map starts with.
const DEFAULT_LANES: [LaneKind; 7] = [
    LaneKind::Actions,
    LaneKind::Touchpoints,
    LaneKind::Thoughts,
    LaneKind::Emotion,
    LaneKind::PainPoints,
    LaneKind::Opportunities,
    LaneKind::Backstage,
];

/// A new, empty map: three stages, the usual lanes, one persona with an empty curve of their
/// perceived experience, and no cards.
#[must_use]
pub fn new_map() -> Document {
    let mut doc = Document {
        title: "Untitled journey".into(),
        description: String::new(),
        personas: Vec::new(),
        stages: Vec::new(),
        lanes: Vec::new(),
        cards: Vec::new(),
        emotion: Emotion::default(),
        links: Vec::new(),
        next_id: 1,
    };
    let persona = PersonaId(doc.alloc_id());
    doc.personas.push(Persona::named(persona, "Persona"));
    let curve = CurveId(doc.alloc_id());
    doc.emotion.curves.push(Curve {
        id: curve,
        name: "Customer's experience".into(),
        kind: CurveKind::Perceived,
        persona: Some(persona),
        hue: None,
        hidden: false,
        points: Vec::new(),
    });
    for name in ["Discover", "Decide", "Use"] {
        let id = StageId(doc.alloc_id());
        doc.stages.push(Stage {
            id,
            name: name.into(),
            width: DEFAULT_STAGE_WIDTH,
        });
    }
    for kind in DEFAULT_LANES {
        let id = LaneId(doc.alloc_id());
        doc.lanes.push(Lane {
            id,
            name: kind.label().into(),
            kind,
            hidden: false,
        });
    }
    doc
}

/// One row of the reference journey: stage name, emotion, and cards per lane kind.
struct Row {
    stage: &'static str,
    emotion: &'static [f32],
    cards: &'static [(LaneKind, &'static str, Option<Channel>, &'static str, bool)],
}

const REFERENCE: &[Row] = &[
    Row {
        stage: "Discover",
        emotion: &[1.0],
        cards: &[
            (
                LaneKind::Actions,
                "Sees an ad for a broadband + phone bundle",
                None,
                "",
                false,
            ),
            (
                LaneKind::Actions,
                "Compares plans on the website",
                None,
                "",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Social media ad",
                Some(Channel::Social),
                "Marketing",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Plan comparison page",
                Some(Channel::Web),
                "Marketing",
                false,
            ),
            (
                LaneKind::Thoughts,
                "\u{201c}This price looks clear\u{201d}",
                None,
                "",
                false,
            ),
            (
                LaneKind::Backstage,
                "Marketing copy omits the setup fee",
                None,
                "Marketing",
                false,
            ),
            (
                LaneKind::Opportunities,
                "Show all fees up front",
                None,
                "Marketing",
                false,
            ),
        ],
    },
    Row {
        stage: "Sign up",
        emotion: &[2.0],
        cards: &[
            (
                LaneKind::Actions,
                "Signs the contract online",
                None,
                "",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Online contract",
                Some(Channel::Web),
                "Sales",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Welcome email",
                Some(Channel::Email),
                "Sales",
                false,
            ),
            (
                LaneKind::Thoughts,
                "\u{201c}Easy enough\u{201d}",
                None,
                "",
                false,
            ),
            (
                LaneKind::PainPoints,
                "A clause on early fees is hard to understand",
                None,
                "",
                false,
            ),
            (
                LaneKind::Backstage,
                "Legal text written for lawyers",
                None,
                "Legal",
                false,
            ),
            (
                LaneKind::Opportunities,
                "Plain-language contract summary",
                None,
                "Legal",
                false,
            ),
        ],
    },
    Row {
        stage: "First bill",
        emotion: &[-1.0],
        cards: &[
            (LaneKind::Actions, "Opens the first bill", None, "", false),
            (
                LaneKind::Touchpoints,
                "First bill",
                Some(Channel::Email),
                "Billing",
                true,
            ),
            (
                LaneKind::Thoughts,
                "\u{201c}Why is it higher than promised?\u{201d}",
                None,
                "",
                false,
            ),
            (
                LaneKind::PainPoints,
                "Bill differs from the advertised price",
                None,
                "",
                false,
            ),
            (
                LaneKind::Backstage,
                "Billing system applies a fee marketing never mentioned",
                None,
                "Billing",
                false,
            ),
            (
                LaneKind::Opportunities,
                "First-bill explainer",
                None,
                "Billing",
                false,
            ),
        ],
    },
    Row {
        stage: "Look for help",
        emotion: &[-1.0],
        cards: &[
            (
                LaneKind::Actions,
                "Searches the FAQ, then tries the chat bot",
                None,
                "",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "FAQ",
                Some(Channel::SelfService),
                "Customer service",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Chat bot",
                Some(Channel::Chat),
                "Customer service",
                false,
            ),
            (
                LaneKind::Thoughts,
                "\u{201c}Nothing answers my question\u{201d}",
                None,
                "",
                false,
            ),
            (
                LaneKind::PainPoints,
                "FAQ has no entry for the fee",
                None,
                "",
                false,
            ),
            (
                LaneKind::Backstage,
                "No shared knowledge base across teams",
                None,
                "IT",
                false,
            ),
            (
                LaneKind::Opportunities,
                "FAQ entry fed by contact reasons",
                None,
                "Customer service",
                false,
            ),
        ],
    },
    Row {
        stage: "Call support",
        emotion: &[-2.0],
        cards: &[
            (
                LaneKind::Actions,
                "Calls support and waits 30 minutes on hold",
                None,
                "",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Phone menu",
                Some(Channel::Ivr),
                "Customer service",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Agent call",
                Some(Channel::Phone),
                "Customer service",
                true,
            ),
            (
                LaneKind::Thoughts,
                "\u{201c}I'm already angry before anyone speaks\u{201d}",
                None,
                "",
                false,
            ),
            (
                LaneKind::PainPoints,
                "Long queue with irritating music",
                None,
                "",
                false,
            ),
            (
                LaneKind::PainPoints,
                "Repeats details to two agents",
                None,
                "",
                false,
            ),
            (
                LaneKind::Backstage,
                "No callback; agents cannot see the chat history",
                None,
                "IT",
                false,
            ),
            (
                LaneKind::Opportunities,
                "Callback offer; one customer view for agents",
                None,
                "Customer service",
                false,
            ),
        ],
    },
    Row {
        stage: "Resolution",
        emotion: &[0.0],
        cards: &[
            (
                LaneKind::Actions,
                "Gets part of the fee refunded",
                None,
                "",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Agent explains and refunds",
                Some(Channel::Phone),
                "Customer service",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Follow-up survey",
                Some(Channel::Email),
                "Customer service",
                false,
            ),
            (
                LaneKind::Thoughts,
                "\u{201c}Fixed, but it cost me an afternoon\u{201d}",
                None,
                "",
                false,
            ),
            (
                LaneKind::PainPoints,
                "Survey asks only about the agent, not the journey",
                None,
                "",
                false,
            ),
            (
                LaneKind::Backstage,
                "Service measured per call, not per journey",
                None,
                "Customer service",
                false,
            ),
            (
                LaneKind::Opportunities,
                "Journey-level measure of effort",
                None,
                "Customer service",
                false,
            ),
        ],
    },
    Row {
        stage: "Renew or leave",
        emotion: &[-1.0, 1.0],
        cards: &[
            (
                LaneKind::Actions,
                "Weighs the renewal offer",
                None,
                "",
                false,
            ),
            (
                LaneKind::Touchpoints,
                "Renewal offer",
                Some(Channel::Email),
                "Sales",
                false,
            ),
            (
                LaneKind::Thoughts,
                "\u{201c}Will this happen again?\u{201d}",
                None,
                "",
                false,
            ),
            (
                LaneKind::Opportunities,
                "Proactive message before the next bill",
                None,
                "Billing",
                false,
            ),
        ],
    },
];

/// The reference journey "Sorting out a surprise on my bill", built in code so a test can
/// check that `examples/surprise-bill.journeymap.json` says the same.
#[must_use]
pub fn sample_map() -> Document {
    let mut doc = new_map();
    doc.title = "Sorting out a surprise on my bill".into();
    doc.description =
        "Understand and fix an unexpected charge on a broadband + phone contract.".into();
    doc.personas[0].name = "Dana".into();
    doc.emotion.curves[0].name = "Dana's experience".into();
    doc.personas[0].description =
        "Small-business owner on a broadband + phone contract. Goal: understand and fix an \
        unexpected charge."
            .into();
    doc.stages.clear();
    doc.cards.clear();
    for row in REFERENCE {
        let stage = StageId(doc.alloc_id());
        doc.stages.push(Stage {
            id: stage,
            name: row.stage.into(),
            width: 260.0,
        });
        let n = row.emotion.len() as f32;
        for (i, value) in row.emotion.iter().enumerate() {
            let id = PointId(doc.alloc_id());
            let offset = (i as f32 + 0.5) / n;
            doc.emotion.curves[0].points.push(EmotionPoint {
                id,
                stage,
                offset,
                value: *value,
            });
        }
        for (kind, text, channel, owner, mot) in row.cards {
            let Some(lane) = doc.lanes.iter().find(|l| l.kind == *kind).map(|l| l.id) else {
                continue;
            };
            let mut card = Card::new(CardId(doc.alloc_id()), stage, lane, *text);
            card.channel = *channel;
            card.owner = (*owner).into();
            card.moment_of_truth = *mot;
            doc.cards.push(std::sync::Arc::new(card));
        }
    }
    doc
}
