//! Closed lists of codes (sex, residence status, case category, …) with their Vietnamese and
//! English labels. Codes are stable: they are stored, synced and exported, so never rename one.

use crate::error::ValidationError;

/// A value from a closed list, stored as a stable snake_case code.
pub trait Code: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The stable code stored in the database and in JSON.
    fn code(self) -> &'static str;
    /// The Vietnamese label shown to officers.
    fn label_vi(self) -> &'static str;
    /// The English label.
    fn label_en(self) -> &'static str;

    /// Looks a code up. Accepts the code itself or, for convenience, the Vietnamese label in any
    /// case; returns `None` for anything else.
    fn from_code(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|v| {
            v.code() == s
                || crate::text::fold(v.label_vi()) == crate::text::fold(s)
                || v.label_en().eq_ignore_ascii_case(s)
        })
    }

    /// Parses a code for `field`, with a message listing the allowed values when it is unknown.
    fn parse(field: &str, s: &str) -> Result<Self, ValidationError> {
        Self::from_code(s).ok_or_else(|| unknown::<Self>(field, s))
    }

    /// Reads a code as stored and synced: the code itself, exactly (labels are for typing).
    fn parse_stored(field: &str, s: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == s)
            .ok_or_else(|| unknown::<Self>(field, s))
    }
}

fn unknown<T: Code>(field: &str, s: &str) -> ValidationError {
    ValidationError::UnknownCode {
        field: field.to_string(),
        value: crate::text::truncate_for_message(s),
        allowed: T::ALL
            .iter()
            .map(|v| format!("{} ({})", v.code(), v.label_vi()))
            .collect(),
    }
}

/// Declares a closed list: `code_enum!(Name { Variant = ("code", "nhãn", "label"), … })`.
#[macro_export]
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = ($code:literal, $vi:literal, $en:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        pub enum $name { $($(#[$vdoc])* #[cfg_attr(feature = "ts", ts(rename = $code))] $variant),+ }

        impl $crate::codes::Code for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),+ } }
            fn label_vi(self) -> &'static str { match self { $(Self::$variant => $vi),+ } }
            fn label_en(self) -> &'static str { match self { $(Self::$variant => $en),+ } }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str($crate::codes::Code::code(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <Self as $crate::codes::Code>::ALL
                    .iter()
                    .copied()
                    .find(|v| $crate::codes::Code::code(*v) == s)
                    .ok_or_else(|| ::serde::de::Error::unknown_variant(&s, &[$($code),+]))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::codes::Code::code(*self))
            }
        }
    };
}
