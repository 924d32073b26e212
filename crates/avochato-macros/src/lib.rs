//! Derives for the `avochato` crate.
//!
//! `#[derive(Describe)]` records a type's fields (wire name, Rust type, required or not,
//! documentation) as static data, so that every host (Python stubs, the CLI's flags) can be
//! generated from the Rust declaration instead of restating it. With `#[describe(builder)]`
//! it also writes `new(required fields...)` and one chainable setter per optional field.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::parse::{Parse, Parser};
use syn::{
    Attribute, Data, DeriveInput, Expr, Fields, GenericArgument, ItemStruct, Lit, Meta,
    PathArguments, Type, parse_macro_input, parse_quote,
};

/// Turns a plain struct into a parameter type: derives serde, `Describe` (with a builder)
/// and, for the `uniffi` feature, a uniffi record whose optional fields default to none. Every `Option` field gets `#[serde(default,
/// skip_serializing_if = "Option::is_none")]` unless it is marked `#[describe(send_null)]`
/// (then `None` goes out as `null`). Unknown fields are refused unless a field is
/// `#[serde(flatten)]` (contact custom fields).
#[proc_macro_attribute]
pub fn params(_attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut item = parse_macro_input!(item as ItemStruct);
    let mut has_flatten = false;
    if let Fields::Named(named) = &mut item.fields {
        for field in named.named.iter_mut() {
            let serde = match serde_field(&field.attrs) {
                Ok(s) => s,
                Err(e) => return e.to_compile_error().into(),
            };
            has_flatten |= serde.flatten;
            let send_null = field.attrs.iter().any(|a| {
                a.path().is_ident("describe") && quote!(#a).to_string().contains("send_null")
            });
            if option_inner(&field.ty).is_some() || serde.flatten {
                // The JVM host: optional fields (and custom fields) default in the
                // generated constructors.
                field
                    .attrs
                    .push(parse_quote!(#[cfg_attr(feature = "uniffi", uniffi(default))]));
            }
            if option_inner(&field.ty).is_some() {
                if !serde.default {
                    field.attrs.push(parse_quote!(#[serde(default)]));
                }
                let has_skip = field.attrs.iter().any(|a| {
                    a.path().is_ident("serde")
                        && quote!(#a).to_string().contains("skip_serializing_if")
                });
                if !has_skip && !send_null {
                    field
                        .attrs
                        .push(parse_quote!(#[serde(skip_serializing_if = "Option::is_none")]));
                }
            }
        }
    }
    let deny = if has_flatten {
        quote!()
    } else {
        quote!(#[serde(deny_unknown_fields)])
    };
    quote! {
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::avochato_macros::Describe)]
        #[cfg_attr(feature = "uniffi", derive(::uniffi::Record))]
        #[describe(builder)]
        #deny
        #item
    }
    .into()
}

/// Declares a response model with its host annotations in place: serde (whole numbers
/// accept `2.0`), `Describe`, a frozen pyo3 class and a uniffi record; adds `extra`, the map of fields the
/// API sends that the model does not list (`#[model(custom_fields)]`: the model declares
/// its own map).
#[proc_macro_attribute]
pub fn model(attr: TokenStream, item: TokenStream) -> TokenStream {
    let custom = attr.to_string().contains("custom_fields");
    let mut item = parse_macro_input!(item as ItemStruct);
    if let Fields::Named(named) = &mut item.fields {
        for field in named.named.iter_mut() {
            match type_string(&field.ty).as_str() {
                "i64" => field.attrs.push(parse_quote!(
                    #[serde(deserialize_with = "crate::types::whole::number")]
                )),
                "Option<i64>" => field.attrs.push(parse_quote!(
                    #[serde(default, deserialize_with = "crate::types::whole::optional")]
                )),
                _ => {}
            }
        }
        if !custom {
            let extra = syn::Field::parse_named.parse2(quote! {
                /// Fields the API sent that this SDK does not list (newer than the SDK).
                #[serde(flatten)]
                pub extra: crate::types::JsonMap
            });
            match extra {
                Ok(f) => named.named.push(f),
                Err(e) => return e.to_compile_error().into(),
            }
        }
    }
    quote! {
        #[cfg_attr(feature = "python", pyo3::pyclass(get_all, frozen, eq, module = "avochato"))]
        #[cfg_attr(feature = "uniffi", derive(::uniffi::Record))]
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::avochato_macros::Describe)]
        #item
    }
    .into()
}

#[proc_macro_derive(Describe, attributes(describe, pyo3, check))]
pub fn derive_describe(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(ts) => ts.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

struct FieldSpec {
    ident: syn::Ident,
    ty: Type,
    wire: String,
    doc: String,
    optional: bool,
    has_default: bool,
    flatten: bool,
    skipped: bool,
    aliases: Vec<String>,
    positional: bool,
    send_null: bool,
    lenient: bool,
    wire_form: &'static str,
    checks: Vec<TokenStream2>,
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let name = &input.ident;
    let name_str = name.to_string();
    let doc = doc_of(&input.attrs);
    let builder = has_describe_flag(&input.attrs, "builder")?;
    let (impl_g, ty_g, where_g) = input.generics.split_for_impl();

    match &input.data {
        Data::Struct(s) => {
            let Fields::Named(named) = &s.fields else {
                return Err(syn::Error::new_spanned(name, "Describe needs named fields"));
            };
            let mut specs = Vec::new();
            for f in &named.named {
                let Some(ident) = f.ident.clone() else {
                    continue;
                };
                let serde = serde_field(&f.attrs)?;
                let d = describe_field(&f.attrs)?;
                specs.push(FieldSpec {
                    wire: serde.rename.unwrap_or_else(|| unraw(&ident)),
                    doc: doc_of(&f.attrs),
                    optional: option_inner(&f.ty).is_some(),
                    has_default: serde.default,
                    flatten: serde.flatten,
                    skipped: serde.skip,
                    lenient: serde.deserialize_with.contains("lenient"),
                    wire_form: if serde.serialize_with.ends_with("as_word") {
                        "Word"
                    } else if serde.serialize_with.ends_with("as_digit") {
                        "Digit"
                    } else {
                        "Plain"
                    },
                    checks: checks_of(&f.attrs)?,
                    ty: f.ty.clone(),
                    ident,
                    aliases: d.aliases,
                    positional: d.positional,
                    send_null: d.send_null,
                });
            }
            let field_infos = specs.iter().filter(|f| !f.skipped).map(|f| {
                let wire = &f.wire;
                let ty = &f.ty;
                let required = !f.optional && !f.has_default && !f.flatten;
                let doc = &f.doc;
                let flatten = f.flatten;
                let aliases = &f.aliases;
                let positional = f.positional;
                let send_null = f.send_null;
                let lenient = f.lenient;
                let wire_form = syn::Ident::new(f.wire_form, proc_macro2::Span::call_site());
                let checks = &f.checks;
                quote! {
                    ::avochato::describe::FieldInfo {
                        name: #wire,
                        ty: <#ty as ::avochato::describe::DescribeType>::TYPE,
                        required: #required,
                        #[cfg(not(target_arch = "wasm32"))]
                        doc: #doc,
                        flatten: #flatten, lenient: #lenient,
                        wire: ::avochato::describe::Wire::#wire_form, send_null: #send_null,
                        checks: &[#(#checks),*],
                        #[cfg(not(target_arch = "wasm32"))]
                        aliases: &[#(#aliases),*],
                        #[cfg(not(target_arch = "wasm32"))]
                        positional: #positional,
                    }
                }
            });
            let closed = container_flag(&input.attrs, "deny_unknown_fields")?;
            let struct_checks = checks_of(&input.attrs)?;
            let describe = quote! {
                impl #impl_g ::avochato::describe::Describe for #name #ty_g #where_g {
                    const INFO: &'static ::avochato::describe::TypeInfo = &::avochato::describe::TypeInfo {
                        name: #name_str,
                        #[cfg(not(target_arch = "wasm32"))]
                        doc: #doc,
                        fields: &[#(#field_infos),*],
                        variants: &[],
                        checks: &[#(#struct_checks),*],
                        closed: #closed,
                        union: ::core::option::Option::None,
                    };
                }
                impl #impl_g ::avochato::describe::DescribeType for #name #ty_g #where_g {
                    const TYPE: ::avochato::describe::TypeRef = ::avochato::describe::TypeRef::Model(
                        <Self as ::avochato::describe::Describe>::INFO,
                    );
                }
            };
            let builder_impl = if builder {
                builder_methods(name, &specs)
            } else {
                quote!()
            };
            Ok(quote! { #describe #builder_impl })
        }
        Data::Enum(e) => {
            let rule = rename_all(&input.attrs)?;
            let mut variants = Vec::new();
            for v in &e.variants {
                if !matches!(v.fields, Fields::Unit) {
                    return Err(syn::Error::new_spanned(
                        v,
                        "Describe supports unit variants only",
                    ));
                }
                let serde = serde_field(&v.attrs)?;
                variants.push(
                    serde
                        .rename
                        .unwrap_or_else(|| apply_rename_all(rule.as_deref(), &v.ident.to_string())),
                );
            }
            Ok(quote! {
                impl ::avochato::describe::Describe for #name {
                    const INFO: &'static ::avochato::describe::TypeInfo = &::avochato::describe::TypeInfo {
                        name: #name_str,
                        #[cfg(not(target_arch = "wasm32"))]
                        doc: #doc,
                        fields: &[], variants: &[#(#variants),*],
                        checks: &[], closed: true, union: ::core::option::Option::None,
                    };
                }
                impl ::avochato::describe::DescribeType for #name {
                    const TYPE: ::avochato::describe::TypeRef = ::avochato::describe::TypeRef::Enum(
                        <Self as ::avochato::describe::Describe>::INFO,
                    );
                }
            })
        }
        Data::Union(_) => Err(syn::Error::new_spanned(
            name,
            "Describe does not support unions",
        )),
    }
}

/// `new(required...)` plus a setter per optional field: `.from("+1...")`, `.page(2)`.
fn builder_methods(name: &syn::Ident, specs: &[FieldSpec]) -> TokenStream2 {
    let required: Vec<&FieldSpec> = specs
        .iter()
        .filter(|f| !f.optional && !f.has_default && !f.flatten && !f.skipped)
        .collect();
    let args = required.iter().map(|f| {
        let id = &f.ident;
        let ty = &f.ty;
        if is_primitive(ty) {
            quote! { #id: #ty }
        } else {
            quote! { #id: impl ::core::convert::Into<#ty> }
        }
    });
    let inits = specs.iter().map(|f| {
        let id = &f.ident;
        if required.iter().any(|r| r.ident == f.ident) && is_primitive(&f.ty) {
            quote! { #id }
        } else if required.iter().any(|r| r.ident == f.ident) {
            quote! { #id: #id.into() }
        } else {
            quote! { #id: ::core::default::Default::default() }
        }
    });
    let setters = specs
        .iter()
        .filter(|f| !f.skipped && !f.flatten)
        .filter_map(|f| {
            let id = &f.ident;
            let doc = if f.doc.is_empty() {
                format!("Sets `{}`.", f.wire)
            } else {
                f.doc.clone()
            };
            if let Some(inner) = option_inner(&f.ty) {
                // Numbers and booleans are taken as they are, so literals infer (`.page(2)`).
                if is_primitive(inner) {
                    return Some(quote! {
                        #[doc = #doc]
                        #[must_use]
                        pub fn #id(mut self, value: #inner) -> Self {
                            self.#id = ::core::option::Option::Some(value);
                            self
                        }
                    });
                }
                Some(quote! {
                    #[doc = #doc]
                    #[must_use]
                    pub fn #id(mut self, value: impl ::core::convert::Into<#inner>) -> Self {
                        self.#id = ::core::option::Option::Some(value.into());
                        self
                    }
                })
            } else if f.has_default {
                let ty = &f.ty;
                Some(quote! {
                    #[doc = #doc]
                    #[must_use]
                    pub fn #id(mut self, value: impl ::core::convert::Into<#ty>) -> Self {
                        self.#id = value.into();
                        self
                    }
                })
            } else {
                None
            }
        });
    let new_doc = format!(
        "Creates the parameters with their required fields ({}).",
        if required.is_empty() {
            "none".to_string()
        } else {
            required
                .iter()
                .map(|f| format!("`{}`", f.wire))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    quote! {
        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::new_without_default)]
            #[must_use]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// Reads past a serde option this macro does not need (`x = ...` or `x(...)`).
fn skip_meta(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.input.peek(syn::Token![=]) {
                let _: Expr = inner.value()?.parse()?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// A container's `#[serde(rename_all = "...")]`.
fn rename_all(attrs: &[Attribute]) -> syn::Result<Option<String>> {
    let mut rule = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rule = Some(lit.value());
            } else {
                skip_meta(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(rule)
}

/// A variant name (`PascalCase`) as serde's `rename_all` rule writes it.
fn apply_rename_all(rule: Option<&str>, variant: &str) -> String {
    let mut snake = String::new();
    for (i, c) in variant.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.extend(c.to_lowercase());
    }
    match rule {
        Some("lowercase") => variant.to_lowercase(),
        Some("UPPERCASE") => variant.to_uppercase(),
        Some("snake_case") => snake,
        Some("SCREAMING_SNAKE_CASE") => snake.to_uppercase(),
        Some("kebab-case") => snake.replace('_', "-"),
        Some("SCREAMING-KEBAB-CASE") => snake.replace('_', "-").to_uppercase(),
        Some("camelCase") => {
            let mut chars = variant.chars();
            chars
                .next()
                .map(|f| f.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => variant.to_string(),
    }
}

struct SerdeField {
    rename: Option<String>,
    default: bool,
    flatten: bool,
    skip: bool,
    serialize_with: String,
    deserialize_with: String,
}

fn serde_field(attrs: &[Attribute]) -> syn::Result<SerdeField> {
    let mut out = SerdeField {
        rename: None,
        default: false,
        flatten: false,
        skip: false,
        serialize_with: String::new(),
        deserialize_with: String::new(),
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                if meta.input.peek(syn::Token![=]) {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    out.rename = Some(lit.value());
                } else {
                    // rename(serialize = "...", deserialize = "...")
                    meta.parse_nested_meta(|inner| {
                        let lit: syn::LitStr = inner.value()?.parse()?;
                        if inner.path.is_ident("serialize") {
                            out.rename = Some(lit.value());
                        }
                        Ok(())
                    })?;
                }
            } else if meta.path.is_ident("default") {
                out.default = true;
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::LitStr = meta.value()?.parse()?;
                }
            } else if meta.path.is_ident("flatten") {
                out.flatten = true;
            } else if meta.path.is_ident("serialize_with") {
                out.serialize_with = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.path.is_ident("deserialize_with") {
                out.deserialize_with = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.path.is_ident("skip") {
                out.skip = true;
            } else {
                skip_meta(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(out)
}

struct DescribeField {
    aliases: Vec<String>,
    positional: bool,
    send_null: bool,
}

fn describe_field(attrs: &[Attribute]) -> syn::Result<DescribeField> {
    let mut out = DescribeField {
        aliases: Vec::new(),
        positional: false,
        send_null: false,
    };
    for attr in attrs.iter().filter(|a| a.path().is_ident("describe")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("alias") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                out.aliases.push(lit.value());
            } else if meta.path.is_ident("positional") {
                out.positional = true;
            } else if meta.path.is_ident("send_null") {
                out.send_null = true;
            } else {
                return Err(meta.error("expected `alias = \"...\"`, `positional` or `send_null`"));
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// `#[check(...)]` rules, as `::avochato::describe::Check` values.
fn checks_of(attrs: &[Attribute]) -> syn::Result<Vec<TokenStream2>> {
    let mut out = Vec::new();
    let c = quote!(::avochato::describe::Check);
    for attr in attrs.iter().filter(|a| a.path().is_ident("check")) {
        attr.parse_nested_meta(|meta| {
            let Some(name) = meta.path.get_ident().map(|i| i.to_string()) else {
                return Err(meta.error("expected a rule name"));
            };
            let unit = |v: &str| {
                let id = syn::Ident::new(v, proc_macro2::Span::call_site());
                quote!(#c::#id)
            };
            let rule = match name.as_str() {
                "not_blank" => unit("NotBlank"),
                "message" => unit("Message"),
                "phone" => unit("Phone"),
                "phone_or_empty" => unit("PhoneOrEmpty"),
                "live_chat" => unit("LiveChat"),
                "e164" => unit("E164"),
                "e164_or_empty" => unit("E164OrEmpty"),
                "email" => unit("Email"),
                "email_or_empty" => unit("EmailOrEmpty"),
                "url" => unit("Url"),
                "window" => unit("Window"),
                "field_names" => unit("FieldNames"),
                "not_empty" => {
                    let lit: syn::LitStr = meta.value()?.parse()?;
                    quote!(#c::NotEmpty(#lit))
                }
                "range" => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let args =
                        content.parse_terminated(<syn::Expr as Parse>::parse, syn::Token![,])?;
                    let args: Vec<_> = args.into_iter().collect();
                    quote!(#c::Range(#(#args),*))
                }
                "reserved" => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let args =
                        content.parse_terminated(<syn::LitStr as Parse>::parse, syn::Token![,])?;
                    let args: Vec<_> = args.into_iter().collect();
                    quote!(#c::Reserved(&[#(#args),*]))
                }
                "one_of" | "not_both" => {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let args =
                        content.parse_terminated(<syn::Ident as Parse>::parse, syn::Token![,])?;
                    let names: Vec<String> = args.iter().map(unraw).collect();
                    let variant = if name == "one_of" {
                        quote!(OneOf)
                    } else {
                        quote!(NotBoth)
                    };
                    quote!(#c::#variant(#(#names),*))
                }
                _ => return Err(meta.error("unknown check")),
            };
            out.push(rule);
            Ok(())
        })?;
    }
    Ok(out)
}

/// Whether a container has `#[serde(<flag>)]`.
fn container_flag(attrs: &[Attribute], flag: &str) -> syn::Result<bool> {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(flag) {
                found = true;
            } else {
                skip_meta(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(found)
}

fn has_describe_flag(attrs: &[Attribute], flag: &str) -> syn::Result<bool> {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("describe")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(flag) {
                found = true;
                Ok(())
            } else {
                Err(meta.error("unknown describe attribute"))
            }
        })?;
    }
    Ok(found)
}

fn doc_of(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if let Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) = &nv.value
        {
            lines.push(s.value().trim().to_string());
        }
    }
    lines.join(" ").trim().to_string()
}

fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    if seg.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

fn is_primitive(ty: &Type) -> bool {
    let s = type_string(ty);
    matches!(
        s.as_str(),
        "u8" | "u16"
            | "u32"
            | "u64"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "f32"
            | "f64"
            | "bool"
            | "usize"
    )
}

fn type_string(ty: &Type) -> String {
    quote!(#ty)
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
