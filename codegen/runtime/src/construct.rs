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
/// once. Serde's traits and `Debug` are foreign to the generated crate, so
/// each struct needs its own impl; the runtime's `DeserializeAt` and
/// `Validate` are blanket impls over `Object` instead. Paths are absolute:
/// a lexicon type may be named `Result`.
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

/// The impls of an endpoint's error enum (`XrpcError`, `Display`, `Error`
/// and serde), from its variants and their wire names: the same for every
/// endpoint but for the names. The enum has a `Variant { message }` per
/// listed error and `Other { error, message }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __lexgen_error_impls {
    ($name:ident { $($variant:ident $wire:literal,)* }) => {
        impl $crate::xrpc::XrpcError for $name {
            fn from_parts(
                error: ::std::string::String,
                message: ::std::option::Option<::std::string::String>,
            ) -> Self {
                match error.as_str() {
                    $($wire => Self::$variant { message },)*
                    _ => Self::Other { error, message },
                }
            }
            fn name(&self) -> &str {
                match self {
                    $(Self::$variant { .. } => $wire,)*
                    Self::Other { error, .. } => error,
                }
            }
            fn message(&self) -> ::std::option::Option<&str> {
                match self {
                    $(Self::$variant { message } => message.as_deref(),)*
                    Self::Other { message, .. } => message.as_deref(),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::xrpc::fmt_error(self, f)
            }
        }
        impl ::std::error::Error for $name {}
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::xrpc::deserialize_error(d)
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::xrpc::serialize_error(self, s)
            }
        }
    };
}

/// The impls of a generated union: `type_tag`, reading (`UnionDe`,
/// `DeserializeAt`, `Deserialize`), `Serialize`, `Debug` (from the
/// serialization) and `Validate`, from its
/// variants and their `$type`s. Each variant holds a boxed generated
/// struct; an open union's `$unknown` variant keeps other `$type`s whole,
/// a closed union rejects them.
#[doc(hidden)]
#[macro_export]
macro_rules! __lexgen_union_impls {
    // The arms below pass the names of the locals they use (`tag`, `map`,
    // ...) to the common part, so that both sides of the recursion name
    // the same variables (macro hygiene).
    ($name:ident { $($variant:ident $tag:literal,)* } open $unknown:ident) => {
        $crate::__lexgen_union_impls!(@common (tag, map, path, v, s) $name { $($variant $tag,)* }
            tag { Self::$unknown(v) => v.type_tag(), }
            read { $crate::de::unknown_member(tag, map, path).map(Self::$unknown) }
            write { Self::$unknown(v) => $crate::__serde::Serialize::serialize(v, s), }
            validate { Self::$unknown(v) => $crate::validate::Validate::validate_at(v, path), }
        );
    };
    ($name:ident { $($variant:ident $tag:literal,)* } closed) => {
        $crate::__lexgen_union_impls!(@common (tag, map, path, v, s) $name { $($variant $tag,)* }
            tag {}
            read { ::std::result::Result::Err($crate::de::closed_union_error(tag, path, &[$($tag),*])) }
            write {}
            validate {}
        );
    };
    (@common ($t:ident, $map:ident, $path:ident, $v:ident, $s:ident)
        $name:ident { $($variant:ident $tag:literal,)* }
        tag { $($tag_other:tt)* } read { $read_other:expr } write { $($write_other:tt)* }
        validate { $($validate_other:tt)* }
    ) => {
        impl $name {
            /// The `$type` of this value.
            pub fn type_tag(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $tag,)*
                    $($tag_other)*
                }
            }
        }
        impl<'de> $crate::de::UnionDe<'de> for $name {
            fn member<A: $crate::de::MapAccess<'de>>(
                $t: &str,
                $map: &mut A,
                $path: &$crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, A::Error> {
                match $t {
                    $($tag => $crate::de::member($t, $map, $path).map(Self::$variant),)*
                    _ => $read_other,
                }
            }
        }
        impl<'de> $crate::de::DeserializeAt<'de> for $name {
            fn deserialize_at<D: $crate::__serde::Deserializer<'de>>(
                d: D,
                path: &$crate::validate::Path<'_>,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::de::deserialize_union(d, path)
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::de::deserialize_union(d, &$crate::validate::Path::Root)
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                $s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant($v) => {
                        $crate::de::serialize_object(&**$v, ::std::option::Option::Some($tag), $s)
                    })*
                    $($write_other)*
                }
            }
        }
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::de::debug_value(self, f)
            }
        }
        impl $crate::validate::Validate for $name {
            fn validate_at(&self, $path: &$crate::validate::Path<'_>) -> $crate::validate::Result {
                match self {
                    $(Self::$variant($v) => $crate::validate::Validate::validate_at(&**$v, $path),)*
                    $($validate_other)*
                }
            }
        }
    };
}
