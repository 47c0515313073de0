//! The construction API of generated types, written once here as macros so
//! that each generated struct or union spends one line per field on it (the
//! generated crate pays compile time for every line it holds).
//!
//! Generated code reaches these through `types::object_api!`,
//! `types::default_new!` and `types::union_from!`; they are plumbing, not
//! API. (`validated()` is a provided method of `validate::Validate`, so it
//! costs nothing per type.)

/// `new(required…)` and a `with_…` setter per optional field. One arm, no
/// recursion: expansion is redone on every build, incremental or not.
///
/// Input: `Name { required: Type, … } { optional with_optional: Type, … } extra`,
/// where an optional field's `Type` is what goes inside its `Option`.
#[doc(hidden)]
#[macro_export]
macro_rules! __lexgen_object_api {
    ($name:ident { $($req:ident: $rty:ty,)* } { $($opt:ident $with:ident: $oty:ty,)* } $extra:ident) => {
        impl $name {
            /// Builds a value from its required fields, in lexicon order;
            /// optional fields start unset (chain the `with_…` setters) and
            /// unknown fields empty. Not validated: see `Validate::validated`.
            #[allow(clippy::too_many_arguments)]
            pub fn new($($req: impl ::std::convert::Into<$rty>),*) -> Self {
                Self {
                    $($req: $req.into(),)*
                    $($opt: ::std::option::Option::None,)*
                    $extra: ::std::default::Default::default(),
                }
            }

            $(
                #[doc = concat!("Sets `", stringify!($opt), "`.")]
                pub fn $with(mut self, value: impl ::std::convert::Into<$oty>) -> Self {
                    self.$opt = ::std::option::Option::Some(value.into());
                    self
                }
            )*
        }
    };
}

/// `Default` for a struct without required fields: `new()`.
#[doc(hidden)]
#[macro_export]
macro_rules! __lexgen_default_new {
    ($name:ident) => {
        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }
    };
}

/// `From<T>` for each variant type `T` of a union (boxed inside), so a
/// member converts with `.into()`.
#[doc(hidden)]
#[macro_export]
macro_rules! __lexgen_union_from {
    ($name:ident { $($variant:ident: $ty:ty,)* }) => {
        $(
            impl ::std::convert::From<$ty> for $name {
                fn from(value: $ty) -> Self {
                    Self::$variant(::std::boxed::Box::new(value))
                }
            }
        )*
    };
}

/// The serde and `Debug` impls of a generated struct, each forwarding to
/// its [`crate::de::Object`] impl: the same for every struct, so written
/// once. (`DeserializeAt` and `Validate` are blanket impls over `Object`;
/// these traits are foreign, so each struct needs its own impl.) Paths are absolute: a lexicon type may be
/// named `Result`.
#[doc(hidden)]
#[macro_export]
macro_rules! __lexgen_object_impls {
    ($name:ident) => {
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::de::deserialize_object(d, &$crate::validate::Path::Root)
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::de::serialize_object(self, <Self as $crate::de::Object>::RECORD_TYPE, s)
            }
        }
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::de::debug_object(self, stringify!($name), f)
            }
        }
    };
}
