//! The core's expansion of the operation list: an [`Endpoint`] implementation per
//! parameter type, a resource handle per resource, and the manifest.

#[cfg(not(target_arch = "wasm32"))]
use crate::client::{Call, Client};
#[cfg(not(target_arch = "wasm32"))]
use crate::describe::DescribeType;
use crate::endpoint::{Endpoint, OperationSpec, PageStyle, Paginated, Shape};
use crate::models::*;
use crate::page::Page;
#[cfg(not(target_arch = "wasm32"))]
use crate::pagination::Pager;
use crate::params::*;

macro_rules! output_type {
    (one $T:ident) => { $T };
    (list $T:ident) => { Vec<$T> };
    (page $T:ident) => { Page<$T> };
}

macro_rules! shape_value {
    (one) => {
        Shape::One
    };
    (list) => {
        Shape::List
    };
    (page) => {
        Shape::Page
    };
}

#[cfg(not(target_arch = "wasm32"))]
macro_rules! decode_output {
    (one $T:ident, $body:expr, $keys:expr) => {
        crate::decode::one::<$T>($body, $keys)
    };
    (list $T:ident, $body:expr, $keys:expr) => {
        crate::decode::list::<$T>($body, $keys)
    };
    (page $T:ident, $body:expr, $keys:expr) => {
        crate::decode::page::<$T>($body, $keys)
    };
}

macro_rules! http_method {
    (GET) => {
        crate::endpoint::HttpMethod::Get
    };
    (POST) => {
        crate::endpoint::HttpMethod::Post
    };
    (PUT) => {
        crate::endpoint::HttpMethod::Put
    };
    (DELETE) => {
        crate::endpoint::HttpMethod::Delete
    };
}

macro_rules! page_style {
    () => {
        None
    };
    ($style:ident) => {
        Some(PageStyle::$style)
    };
}

macro_rules! paginated_impl {
    ($P:ident $T:ident) => {};
    ($P:ident $T:ident $style:ident) => {
        impl Paginated for $P {
            type Item = $T;
            const STYLE: PageStyle = PageStyle::$style;
        }
    };
}

macro_rules! core_operations {
    ($(
        $res:ident $Res:ident $(iter($IP:ident -> $IT:ident))? {
            $(
                $name:ident $js:ident ($P:ident) -> $shape:ident<$T:ident> {
                    $M:ident $path:literal [$($key:literal),*]
                    $(pages($style:ident))?
                    $(const($($ck:ident = $cv:literal),*))?
                    $title:literal
                }
            )*
        }
    )*) => {
        $($(
            impl Endpoint for $P {
                type Output = output_type!($shape $T);
                const SPEC: OperationSpec = OperationSpec {
                    resource: stringify!($res),
                    name: stringify!($name),
                    js_name: stringify!($js),
                    http_method: http_method!($M),
                    path: $path,
                    title: $title,
                    params: <$P as crate::describe::Describe>::INFO,
                    shape: shape_value!($shape),
                    #[cfg(not(target_arch = "wasm32"))]
                    item: <$T as DescribeType>::TYPE,
                    data_keys: &[$($key),*],
                    pages: page_style!($($style)?),
                    constants: &[$($((stringify!($ck), $cv)),*)?],
                    #[cfg(not(target_arch = "wasm32"))]
                    decode_json: |body| {
                        let out = <$P as Endpoint>::decode_output(body)?;
                        serde_json::to_value(out).map_err(|e| e.to_string())
                    },
                };
                #[cfg(not(target_arch = "wasm32"))]
                fn decode_output(body: &[u8]) -> Result<Self::Output, String> {
                    decode_output!($shape $T, body, &[$($key),*]).map_err(|serde_reason| {
                        crate::explain::reason(&<Self as Endpoint>::SPEC, body).unwrap_or(serde_reason)
                    })
                }
            }
            paginated_impl!($P $T $($style)?);
        )*)*

        $(
            #[doc = concat!("The `", stringify!($res), "` operations (`client.", stringify!($res), "()`).")]
            #[cfg(not(target_arch = "wasm32"))]
            #[derive(Clone, Debug)]
            pub struct $Res {
                client: Client,
            }

            #[cfg(not(target_arch = "wasm32"))]
            impl $Res {
                $(
                    #[doc = concat!($title, ": `", stringify!($M), " ", $path, "`.")]
                    pub fn $name(&self, params: $P) -> Call<$P> {
                        Call::new(self.client.clone(), params)
                    }
                )*
                $(
                    /// Every item of every page, as a pager (`.items()` or `.pages()` for streams).
                    pub fn iter(&self, params: $IP) -> Pager<$IP> {
                        let _: fn() -> Option<$IT> = || None;
                        self.client.paginate(params)
                    }
                )?
            }

            #[cfg(not(target_arch = "wasm32"))]
            impl Client {
                #[doc = concat!("The `", stringify!($res), "` operations.")]
                pub fn $res(&self) -> $Res {
                    $Res { client: self.clone() }
                }
            }
        )*

        /// Every operation, in the order of the list.
        pub static OPERATIONS: &[OperationSpec] = &[$($(<$P as Endpoint>::SPEC),*),*];

        /// For each resource with `iter()`: the operation it walks.
        static ITER_OPERATIONS: &[(&str, &OperationSpec)] =
            &[$($((stringify!($res), &<$IP as Endpoint>::SPEC),)?)*];
    };
}

crate::for_each_operation!(core_operations);

/// Every operation: resource, method name, HTTP method, path and documented title.
pub fn operations() -> &'static [OperationSpec] {
    OPERATIONS
}

/// The operation `resource.iter()` walks (`contacts.search` for contacts).
pub fn iter_operation(resource: &str) -> Option<&'static OperationSpec> {
    ITER_OPERATIONS
        .iter()
        .find(|(r, _)| *r == resource)
        .map(|(_, op)| *op)
}

/// The operation `resource.name` (as in `messages.send`).
pub fn find_operation(resource: &str, name: &str) -> Option<&'static OperationSpec> {
    OPERATIONS
        .iter()
        .find(|op| op.resource == resource && op.name == name)
}
