//! The maps File → New from template starts from: the example files in `examples/`, built
//! into the binary (a user's install has no examples folder).

use super::{LoadError, from_json_str};
use crate::model::Document;

/// A template: its menu name, what it is for, and its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    /// The name in the menu.
    pub name: &'static str,
    /// One line on what it shows.
    pub about: &'static str,
    /// The example file it is.
    pub file: &'static str,
    json: &'static str,
}

/// Every template, in menu order.
pub const TEMPLATES: [Template; 4] = [
    Template {
        name: "Customer journey",
        about: "A journey across channels with a measured curve, the gap, and causes backstage",
        file: "surprise-bill.journeymap.json",
        json: include_str!("../../examples/surprise-bill.journeymap.json"),
    },
    Template {
        name: "Service blueprint",
        about: "Frontstage, backstage and support processes with the lines between them",
        file: "service-blueprint.journeymap.json",
        json: include_str!("../../examples/service-blueprint.journeymap.json"),
    },
    Template {
        name: "Onboarding",
        about: "From sign-up to the first success of a new user",
        file: "onboarding.journeymap.json",
        json: include_str!("../../examples/onboarding.journeymap.json"),
    },
    Template {
        name: "Support call",
        about: "One contact moment by moment, with the contact centre's measures",
        file: "support-call.journeymap.json",
        json: include_str!("../../examples/support-call.journeymap.json"),
    },
];

impl Template {
    /// The template's map.
    ///
    /// # Errors
    /// Only if the built-in file is broken (a test reads every one).
    pub fn document(&self) -> Result<Document, LoadError> {
        from_json_str(self.json, self.file)
    }

    /// The template named `name` (case-insensitive).
    #[must_use]
    pub fn named(name: &str) -> Option<Template> {
        TEMPLATES
            .into_iter()
            .find(|t| t.name.eq_ignore_ascii_case(name.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_opens_with_curves_links_and_owners() {
        for t in TEMPLATES {
            let doc = t.document().unwrap_or_else(|e| panic!("{}: {e}", t.name));
            assert!(!doc.cards.is_empty(), "{}", t.name);
            assert!(doc.emotion.curves.len() >= 2, "{}", t.name);
            assert!(!doc.links.is_empty(), "{}", t.name);
            assert!(doc.cards.iter().any(|c| !c.owner.is_empty()), "{}", t.name);
            assert_eq!(Template::named(&t.name.to_uppercase()), Some(t));
        }
        let blueprint = Template::named("service blueprint")
            .unwrap()
            .document()
            .unwrap();
        for kind in [
            crate::model::LaneKind::Frontstage,
            crate::model::LaneKind::Backstage,
            crate::model::LaneKind::SupportProcesses,
        ] {
            assert!(blueprint.lanes.iter().any(|l| l.kind == kind), "{kind:?}");
        }
    }
}
