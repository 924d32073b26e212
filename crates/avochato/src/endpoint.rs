//! What each operation is, as data ([`OperationSpec`]) and as a type ([`Endpoint`]).

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

#[cfg(not(target_arch = "wasm32"))]
use crate::describe::TypeRef;
use crate::describe::{Describe, TypeInfo};

/// The HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// GET: credentials in the query string; safe to resend.
    Get,
    /// POST: credentials in the JSON body.
    Post,
    /// PUT: credentials in the JSON body.
    Put,
    /// DELETE: credentials in the JSON body.
    Delete,
}

impl HttpMethod {
    /// `GET`, `POST`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// Whether a request that may have reached the server can be sent again.
    pub fn may_resend_after_sending(self) -> bool {
        self == HttpMethod::Get
    }
}

impl Serialize for HttpMethod {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How a paginated operation moves to its next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageStyle {
    /// `page=1, 2, ...` until an empty page.
    Number,
    /// `after_page=<the previous data.next_page>` until `next_page` is null (contacts).
    AfterPage,
    /// `last_key=<the previous data.last_key>` until an empty page (tags).
    LastKey,
}

/// What an operation returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// One object.
    One,
    /// A list (not paginated).
    List,
    /// A [`crate::Page`] of items.
    Page,
}

/// One operation, as data: what the manifest lists and what dynamic hosts call.
#[derive(Clone, Copy, Serialize)]
pub struct OperationSpec {
    /// Resource handle name (`messages`).
    pub resource: &'static str,
    /// Method name in Rust and Python (`send_live_chat`).
    pub name: &'static str,
    /// Method name in JavaScript (`sendLiveChat`).
    pub js_name: &'static str,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Route with placeholders (`/v1/tickets/:ids`).
    pub path: &'static str,
    /// The title in the API reference.
    pub title: &'static str,
    /// The parameter type (its fields and rules: see [`crate::params::check`]).
    #[serde(serialize_with = "type_name")]
    pub params: &'static TypeInfo,
    /// What it returns.
    pub shape: Shape,
    /// The returned item type (the model of `one`, or of each item of a `list` or `page`).
    /// Native only: in JavaScript the package's generated tables decode responses.
    #[cfg(not(target_arch = "wasm32"))]
    pub item: TypeRef,
    /// Where the result sits in `data` (empty: all of it).
    pub data_keys: &'static [&'static str],
    /// Pagination, for paginated operations.
    pub pages: Option<PageStyle>,
    /// Parameters always sent.
    pub constants: &'static [(&'static str, &'static str)],
    /// Decodes a response body into the output type and gives it back as JSON (`Err`: why
    /// the body is not the documented shape): the typed decode, for hosts that hand JSON
    /// on (the CLI). Native only: the JavaScript host decodes with tables generated from
    /// the same descriptions.
    #[cfg(not(target_arch = "wasm32"))]
    #[serde(skip)]
    pub decode_json: fn(&[u8]) -> std::result::Result<serde_json::Value, String>,
}

fn type_name<S: Serializer>(t: &&'static TypeInfo, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(t.name)
}

impl OperationSpec {
    /// `resource.name`, as in the CLI and logs.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.resource, self.name)
    }
    /// The parameter type's description.
    pub fn params_info(&self) -> &'static TypeInfo {
        self.params
    }
}

impl std::fmt::Debug for OperationSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperationSpec")
            .field("resource", &self.resource)
            .field("name", &self.name)
            .field("http_method", &self.http_method)
            .field("path", &self.path)
            .field("title", &self.title)
            .finish()
    }
}

/// Bounds shared by native and wasm (where nothing is `Send`).
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send + Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + Sync> MaybeSend for T {}
/// Bounds shared by native and wasm (where nothing is `Send`).
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// A parameter type that is an operation: implemented for each by the operation list.
pub trait Endpoint: Serialize + Describe + Clone + MaybeSend + 'static {
    /// What the operation returns.
    type Output: Serialize + DeserializeOwned + Clone + MaybeSend + 'static;
    /// The operation.
    const SPEC: OperationSpec;
    /// Decodes a successful response body (natively; see [`crate::explain`] for its errors).
    #[cfg(not(target_arch = "wasm32"))]
    fn decode_output(body: &[u8]) -> std::result::Result<Self::Output, String>;
}

/// A paginated operation, with the item type its pages hold.
pub trait Paginated: Endpoint<Output = crate::Page<Self::Item>> {
    /// The item type.
    type Item: Serialize + DeserializeOwned + Clone + MaybeSend + 'static;
    /// How it moves to the next page.
    const STYLE: PageStyle;
}
