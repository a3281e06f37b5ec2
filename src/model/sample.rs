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
        executive: crate::model::ExecutiveView::default(),
        view: crate::model::MapView::default(),
        card_index: crate::model::CardIndex::default(),
        owner_order: Vec::new(),
        conflicts: Vec::new(),
        based_on: String::new(),
    };
    let mut ids = crate::model::IdGen::default();
    let persona = PersonaId(ids.next_id());
    doc.personas.push(Persona::named(persona, "Persona"));
    let curve = CurveId(ids.next_id());
    doc.emotion.curves.push(Curve {
        id: curve,
        name: "Customer's experience".into(),
        kind: CurveKind::Perceived,
        persona: Some(persona),
        hue: None,
        hidden: false,
        points: Vec::new(),
        units: None,
    });
    for name in ["Discover", "Decide", "Use"] {
        let id = StageId(ids.next_id());
        doc.stages.push(Stage {
            pos: String::new(),
            id,
            name: name.into(),
            width: DEFAULT_STAGE_WIDTH,
        });
    }
    for kind in DEFAULT_LANES {
        let id = LaneId(ids.next_id());
        doc.lanes.push(Lane {
            pos: String::new(),
            id,
            name: kind.label().into(),
            kind,
            hidden: false,
        });
    }
    // Built in order: the order becomes order keys.
    doc.normalize();
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
    let mut ids = crate::model::IdGen::from(doc.unused_id());
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
        let stage = StageId(ids.next_id());
        doc.stages.push(Stage {
            pos: String::new(),
            id: stage,
            name: row.stage.into(),
            width: 260.0,
        });
        let n = row.emotion.len() as f32;
        for (i, value) in row.emotion.iter().enumerate() {
            let id = PointId(ids.next_id());
            let offset = (i as f32 + 0.5) / n;
            doc.emotion.curves[0].points.push(EmotionPoint {
                id,
                stage,
                offset,
                value: *value,
                card: None,
            });
        }
        for (kind, text, channel, owner, mot) in row.cards {
            let Some(lane) = doc.lanes.iter().find(|l| l.kind == *kind).map(|l| l.id) else {
                continue;
            };
            let mut card = Card::new(CardId(ids.next_id()), stage, lane, *text);
            card.channel = *channel;
            card.owner = (*owner).into();
            card.moment_of_truth = *mot;
            doc.cards.push(std::sync::Arc::new(card));
        }
    }
    deepen(&mut doc);
    // Built in order: the order becomes order keys.
    doc.normalize();
    doc
}

/// The journey's depth: Dana's role, goals and quote; severities, priorities, evidence,
/// metrics and notes; links from pain points to their causes backstage (across stages and
/// departments); and the service as the company measures it (CSAT per contact), far above
/// what Dana feels at "Call support".
fn deepen(doc: &mut Document) {
    use super::{Evidence, EvidenceKind, Link, LinkId, LinkKind, Metric};
    let mut ids = crate::model::IdGen::from(doc.unused_id());
    let dana = &mut doc.personas[0];
    dana.role = "Small-business owner".into();
    dana.goals = "Pay what was promised; spend no working time on the bill.".into();
    dana.expectations = "One contact fixes it; nobody asks twice.".into();
    dana.quote = "I run a shop, not a call centre.".into();
    dana.hue = Some(super::Hue::Indigo);
    let researched = |source: &str| {
        Some(Evidence {
            kind: EvidenceKind::Researched,
            source: source.into(),
        })
    };
    let assumed = Some(Evidence {
        kind: EvidenceKind::Assumed,
        source: String::new(),
    });
    let interviews = "12 customer interviews, Sep 2026";
    let find = |doc: &Document, text: &str| doc.cards.iter().find(|c| c.text == text).map(|c| c.id);
    let edit = |doc: &mut Document, text: &str, f: &dyn Fn(&mut Card)| {
        if let Some(c) = doc.cards.iter_mut().find(|c| c.text == text) {
            f(std::sync::Arc::make_mut(c));
        }
    };
    // Pain points: how bad, and how we know.
    let pains: [(&str, u8, Option<Evidence>, &str); 6] = [
        (
            "Bill differs from the advertised price",
            3,
            researched(interviews),
            "The \u{20ac}49 setup fee appears only on the first bill; 9 of 12 interviewees named it.",
        ),
        (
            "Long queue with irritating music",
            3,
            researched("Call-centre logs, Q3 2026: median wait 28 min"),
            "31 % hang up before an agent answers; the queue peaks on Monday mornings.",
        ),
        (
            "Repeats details to two agents",
            2,
            researched(interviews),
            "",
        ),
        (
            "FAQ has no entry for the fee",
            2,
            researched("Search logs: 'setup fee' is the top query without a result"),
            "",
        ),
        (
            "A clause on early fees is hard to understand",
            1,
            assumed.clone(),
            "",
        ),
        (
            "Survey asks only about the agent, not the journey",
            1,
            assumed.clone(),
            "",
        ),
    ];
    for (text, severity, evidence, note) in pains {
        edit(doc, text, &|c| {
            c.severity = Some(severity);
            c.evidence.clone_from(&evidence);
            c.note = note.into();
        });
    }
    let opportunities: [(&str, u8); 7] = [
        ("Callback offer; one customer view for agents", 3),
        ("Show all fees up front", 3),
        ("First-bill explainer", 2),
        ("FAQ entry fed by contact reasons", 2),
        ("Journey-level measure of effort", 2),
        ("Plain-language contract summary", 1),
        ("Proactive message before the next bill", 1),
    ];
    for (text, priority) in opportunities {
        edit(doc, text, &|c| c.priority = Some(priority));
    }
    edit(doc, "Legal text written for lawyers", &|c| {
        c.evidence.clone_from(&assumed);
    });
    edit(
        doc,
        "No callback; agents cannot see the chat history",
        &|c| {
            c.evidence = researched("Agent shadowing, 2 days");
        },
    );
    // Touchpoints: what the company measures per contact.
    let metrics: [(&str, &[(&str, f64)]); 8] = [
        ("Plan comparison page", &[("CSAT", 4.2)]),
        ("Online contract", &[("CSAT", 4.4)]),
        ("First bill", &[("CSAT", 3.6), ("Contact volume", 6800.0)]),
        ("FAQ", &[("CSAT", 3.1)]),
        ("Chat bot", &[("CSAT", 2.8), ("Contact volume", 5200.0)]),
        (
            "Agent call",
            &[("CSAT", 4.3), ("Contact volume", 4100.0), ("Effort", 4.6)],
        ),
        ("Agent explains and refunds", &[("CSAT", 4.1)]),
        ("Renewal offer", &[("CSAT", 3.5)]),
    ];
    for (text, ms) in metrics {
        edit(doc, text, &|c| {
            c.metrics = ms
                .iter()
                .map(|(name, value)| Metric {
                    name: (*name).into(),
                    value: *value,
                    ..Default::default()
                })
                .collect();
        });
    }
    // Why it breaks: pain points and their root causes backstage, across departments.
    let causes = [
        (
            "Bill differs from the advertised price",
            "Billing system applies a fee marketing never mentioned",
            LinkKind::Causes,
        ),
        (
            "Bill differs from the advertised price",
            "Marketing copy omits the setup fee",
            LinkKind::Causes,
        ),
        (
            "FAQ has no entry for the fee",
            "No shared knowledge base across teams",
            LinkKind::Causes,
        ),
        (
            "Repeats details to two agents",
            "No callback; agents cannot see the chat history",
            LinkKind::Causes,
        ),
        (
            "Survey asks only about the agent, not the journey",
            "Service measured per call, not per journey",
            LinkKind::Causes,
        ),
        (
            "A clause on early fees is hard to understand",
            "Legal text written for lawyers",
            LinkKind::Causes,
        ),
        ("First bill", "FAQ", LinkKind::LeadsTo),
    ];
    for (from, to, kind) in causes {
        let (Some(from), Some(to)) = (find(doc, from), find(doc, to)) else {
            continue;
        };
        let id = LinkId(ids.next_id());
        doc.links.push(Link { id, from, to, kind });
    }
    // The service as measured: CSAT per contact, rescaled to the emotion scale.
    let measured = [1.0, 2.0, 1.0, 0.5, 1.5, 1.5, 1.0];
    let curve = CurveId(ids.next_id());
    let stages: Vec<StageId> = doc.stages.iter().map(|s| s.id).collect();
    let points = stages
        .iter()
        .zip(measured)
        .map(|(stage, value)| EmotionPoint {
            id: PointId(ids.next_id()),
            stage: *stage,
            offset: 0.5,
            value,
            card: None,
        })
        .collect();
    doc.emotion.curves.push(Curve {
        id: curve,
        name: "CSAT per contact".into(),
        kind: CurveKind::Measured,
        persona: None,
        hue: None,
        hidden: false,
        points,
        // Surveyed after each contact on 1 to 5.
        units: Some(crate::model::Units {
            name: "CSAT".into(),
            low: 1.0,
            high: 5.0,
        }),
    });
}
