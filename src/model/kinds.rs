//! The registries of the model: lane kinds (one table: label, colour, whether the lane holds
//! cards, its role in a service blueprint), channels (label and key) and the named colours
//! ([`Hue`]) that lanes, personas and curves are drawn in (the theme turns a hue into colours).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A named colour. The theme holds the actual colours of each hue for light and dark maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Hue {
    /// Blue.
    Blue,
    /// Teal.
    Teal,
    /// Violet.
    Violet,
    /// Slate (blue-grey).
    Slate,
    /// Red.
    Red,
    /// Green.
    Green,
    /// Grey.
    Grey,
    /// Amber.
    Amber,
    /// Indigo.
    Indigo,
    /// Stone (warm grey).
    Stone,
    /// Pink.
    Pink,
    /// Orange.
    Orange,
}

impl Hue {
    /// Every hue, in the order pickers show them.
    pub const ALL: [Hue; 12] = [
        Hue::Blue,
        Hue::Teal,
        Hue::Violet,
        Hue::Slate,
        Hue::Red,
        Hue::Green,
        Hue::Grey,
        Hue::Amber,
        Hue::Indigo,
        Hue::Stone,
        Hue::Pink,
        Hue::Orange,
    ];

    /// The name shown in pickers.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Hue::Blue => "Blue",
            Hue::Teal => "Teal",
            Hue::Violet => "Violet",
            Hue::Slate => "Slate",
            Hue::Red => "Red",
            Hue::Green => "Green",
            Hue::Grey => "Grey",
            Hue::Amber => "Amber",
            Hue::Indigo => "Indigo",
            Hue::Stone => "Stone",
            Hue::Pink => "Pink",
            Hue::Orange => "Orange",
        }
    }
}

/// Where a lane sits in a service blueprint: the lines of interaction, visibility and
/// internal interaction are drawn where the role changes from one lane to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Blueprint {
    /// What the customer does and meets (actions, touchpoints).
    Customer,
    /// What staff do in the customer's view.
    Frontstage,
    /// What staff do out of view.
    Backstage,
    /// Systems, policies and other teams that support the rest.
    Support,
}

/// What a lane holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LaneKind {
    /// What the customer does.
    Actions,
    /// Where the customer meets the company, each on a channel.
    Touchpoints,
    /// What the customer thinks and feels.
    Thoughts,
    /// The emotion curves (one lane per map; holds no cards).
    Emotion,
    /// Where the experience breaks.
    PainPoints,
    /// What could be better.
    Opportunities,
    /// What staff do in the customer's view (service blueprint).
    Frontstage,
    /// What staff and systems do out of the customer's view.
    Backstage,
    /// Systems, policies and teams that support the service (service blueprint).
    SupportProcesses,
    /// Anything else (owners, metrics, evidence …).
    Custom,
}

/// Everything about a lane kind, in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneKindInfo {
    /// The name a facilitator uses.
    pub label: &'static str,
    /// Its colour.
    pub hue: Hue,
    /// Whether its lanes hold cards (all but the emotion lane).
    pub holds_cards: bool,
    /// Its place in a service blueprint, if it has one.
    pub blueprint: Option<Blueprint>,
}

impl LaneKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [LaneKind; 10] = [
        LaneKind::Actions,
        LaneKind::Touchpoints,
        LaneKind::Thoughts,
        LaneKind::Emotion,
        LaneKind::PainPoints,
        LaneKind::Opportunities,
        LaneKind::Frontstage,
        LaneKind::Backstage,
        LaneKind::SupportProcesses,
        LaneKind::Custom,
    ];

    /// The kind's entry in the table.
    #[must_use]
    pub fn info(self) -> LaneKindInfo {
        use Blueprint as B;
        let k = |label, hue, holds_cards, blueprint| LaneKindInfo {
            label,
            hue,
            holds_cards,
            blueprint,
        };
        match self {
            LaneKind::Actions => k("Actions", Hue::Blue, true, Some(B::Customer)),
            LaneKind::Touchpoints => k("Touchpoints", Hue::Teal, true, Some(B::Customer)),
            LaneKind::Thoughts => k("Thoughts & feelings", Hue::Violet, true, None),
            LaneKind::Emotion => k("Emotion", Hue::Slate, false, None),
            LaneKind::PainPoints => k("Pain points", Hue::Red, true, None),
            LaneKind::Opportunities => k("Opportunities", Hue::Green, true, None),
            LaneKind::Frontstage => k("Frontstage", Hue::Indigo, true, Some(B::Frontstage)),
            LaneKind::Backstage => k("Backstage", Hue::Grey, true, Some(B::Backstage)),
            LaneKind::SupportProcesses => {
                k("Support processes", Hue::Stone, true, Some(B::Support))
            }
            LaneKind::Custom => k("Custom", Hue::Amber, true, None),
        }
    }

    /// The name a facilitator uses.
    #[must_use]
    pub fn label(self) -> &'static str {
        self.info().label
    }

    /// Whether the lane holds cards (all but the emotion lane).
    #[must_use]
    pub fn holds_cards(self) -> bool {
        self.info().holds_cards
    }
}

/// The channel of a touchpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Telephone with a person.
    Phone,
    /// Email.
    Email,
    /// Chat or chat bot.
    Chat,
    /// Text messages and messaging apps (SMS and the like).
    Sms,
    /// Website.
    Web,
    /// Mobile app.
    App,
    /// Face to face, in a shop or at home.
    InPerson,
    /// Social media.
    Social,
    /// Letters and printed mail.
    Post,
    /// FAQ and other self-service.
    SelfService,
    /// Phone menu (interactive voice response).
    Ivr,
    /// Any other channel (the card can name it).
    Other,
}

impl Channel {
    /// Every channel, in the order menus list them.
    pub const ALL: [Channel; 12] = [
        Channel::Phone,
        Channel::Email,
        Channel::Chat,
        Channel::Sms,
        Channel::Web,
        Channel::App,
        Channel::InPerson,
        Channel::Social,
        Channel::Post,
        Channel::SelfService,
        Channel::Ivr,
        Channel::Other,
    ];

    /// The name shown on cards and in menus.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "Phone",
            Channel::Email => "Email",
            Channel::Chat => "Chat",
            Channel::Sms => "SMS",
            Channel::Web => "Web",
            Channel::App => "App",
            Channel::InPerson => "In person",
            Channel::Social => "Social",
            Channel::Post => "Post",
            Channel::SelfService => "Self-service",
            Channel::Ivr => "IVR",
            Channel::Other => "Other",
        }
    }

    /// The letter that picks the channel from the keyboard (Alt+letter in the editor): the
    /// initial where it is free, else a letter of the word (m for post/mail, f for FAQ/self-
    /// service, v for IVR/voice menu, t for text messages). Unique among channels; `n` is
    /// kept for "no channel".
    #[must_use]
    pub fn key(self) -> char {
        match self {
            Channel::Phone => 'p',
            Channel::Email => 'e',
            Channel::Chat => 'c',
            Channel::Sms => 't',
            Channel::Web => 'w',
            Channel::App => 'a',
            Channel::InPerson => 'i',
            Channel::Social => 's',
            Channel::Post => 'm',
            Channel::SelfService => 'f',
            Channel::Ivr => 'v',
            Channel::Other => 'o',
        }
    }

    /// The channel a letter picks (see [`Channel::key`]).
    #[must_use]
    pub fn from_key(c: char) -> Option<Channel> {
        let c = c.to_ascii_lowercase();
        Channel::ALL.into_iter().find(|ch| ch.key() == c)
    }
}

/// The letter that clears a touchpoint's channel.
pub const NO_CHANNEL_KEY: char = 'n';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_keys_are_unique() {
        let mut keys: Vec<char> = Channel::ALL.iter().map(|c| c.key()).collect();
        keys.push(NO_CHANNEL_KEY);
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);
        for c in Channel::ALL {
            assert_eq!(Channel::from_key(c.key()), Some(c));
        }
    }

    #[test]
    fn every_lane_kind_has_its_own_hue_and_only_emotion_holds_no_cards() {
        let hues: std::collections::BTreeSet<_> =
            LaneKind::ALL.iter().map(|k| k.info().hue.label()).collect();
        assert_eq!(hues.len(), LaneKind::ALL.len());
        for k in LaneKind::ALL {
            assert_eq!(k.holds_cards(), k != LaneKind::Emotion, "{k:?}");
        }
    }
}
