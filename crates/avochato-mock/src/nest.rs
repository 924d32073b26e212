//! Bracket keys as Rails reads them: `created_at[from]=1` is an object, `tags[]=a&tags[]=b`
//! a list, `contacts[0][phone]=..&contacts[0][name]=..` a list of objects (an object whose
//! keys are all indexes becomes a list, in index order), `contacts[][phone]=..` too (a new
//! element starts when the last one already has that key).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::http::{ApiError, ApiResult};

/// How deep brackets may go (`a[b][c]` is 2), as Rack limits it.
const MAX_DEPTH: usize = 32;

/// One bracket after the name: `[key]` or `[]`.
#[derive(Debug, PartialEq)]
enum Seg {
    Key(String),
    Push,
}

/// `name[a][]` → `("name", [Key(a), Push])`; `None` when the key is not of that form (it is
/// then a plain name, as written).
fn split_key(key: &str) -> Option<(&str, Vec<Seg>)> {
    let (base, mut rest) = key.split_at(key.find('[')?);
    if base.is_empty() {
        return None;
    }
    let mut segs = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let end = inner.find(']')?;
        let (name, after) = inner.split_at(end);
        if name.contains('[') {
            return None;
        }
        segs.push(if name.is_empty() {
            Seg::Push
        } else {
            Seg::Key(name.to_string())
        });
        rest = after.get(1..)?;
    }
    Some((base, segs))
}

enum Node {
    Leaf(Value),
    List(Vec<Node>),
    Map(Fields),
}

/// An object in the making: insertion order and an index by key.
#[derive(Default)]
struct Fields {
    order: Vec<(String, Node)>,
    index: HashMap<String, usize>,
}

impl Fields {
    fn get(&self, key: &str) -> Option<&Node> {
        self.index
            .get(key)
            .and_then(|&i| self.order.get(i))
            .map(|(_, n)| n)
    }

    /// The node under `key`, set to `make()` when missing or not `fits`.
    fn slot(
        &mut self,
        key: &str,
        fits: impl Fn(&Node) -> bool,
        make: impl FnOnce(Option<Node>) -> Node,
    ) -> Option<&mut Node> {
        match self.index.get(key).copied() {
            Some(i) => {
                let (_, node) = self.order.get_mut(i)?;
                if !fits(node) {
                    let old = std::mem::replace(node, Node::Leaf(Value::Null));
                    *node = make(Some(old));
                }
                Some(node)
            }
            None => {
                self.index.insert(key.to_string(), self.order.len());
                self.order.push((key.to_string(), make(None)));
                self.order.last_mut().map(|(_, n)| n)
            }
        }
    }
}

fn is_map(n: &Node) -> bool {
    matches!(n, Node::Map(_))
}

fn is_list(n: &Node) -> bool {
    matches!(n, Node::List(_))
}

/// A container for what follows `seg`, keeping what `old` held when it was the JSON
/// object or list given for that name (`{"via_field": {..}, "via_field[value]": ..}`).
fn container(seg: &Seg, old: Option<Node>) -> Node {
    match (seg, old) {
        (Seg::Key(_), Some(Node::Leaf(Value::Object(o)))) => {
            let mut f = Fields::default();
            for (k, v) in o {
                f.index.insert(k.clone(), f.order.len());
                f.order.push((k, Node::Leaf(v)));
            }
            Node::Map(f)
        }
        (Seg::Key(_), _) => Node::Map(Fields::default()),
        (Seg::Push, Some(Node::Leaf(Value::Array(a)))) => {
            Node::List(a.into_iter().map(Node::Leaf).collect())
        }
        (Seg::Push, _) => Node::List(Vec::new()),
    }
}

fn fits(seg: &Seg) -> fn(&Node) -> bool {
    match seg {
        Seg::Key(_) => is_map,
        Seg::Push => is_list,
    }
}

/// Sets `segs` under `key` in `fields` (a later value for the same place wins).
fn insert_field(fields: &mut Fields, key: &str, segs: &[Seg], value: Value) {
    let Some((first, _)) = segs.split_first() else {
        if let Some(node) = fields.slot(key, |_| false, |_| Node::Leaf(Value::Null)) {
            *node = Node::Leaf(value);
        }
        return;
    };
    if let Some(node) = fields.slot(key, fits(first), |old| container(first, old)) {
        insert_into(node, segs, value);
    }
}

/// `node` is the container `segs[0]` needs.
fn insert_into(node: &mut Node, segs: &[Seg], value: Value) {
    let Some((first, rest)) = segs.split_first() else {
        return;
    };
    match (first, node) {
        (Seg::Key(k), Node::Map(fields)) => insert_field(fields, k, rest, value),
        (Seg::Push, Node::List(items)) => {
            let Some((next, _)) = rest.split_first() else {
                items.push(Node::Leaf(value));
                return;
            };
            let reuse = items
                .last()
                .is_some_and(|last| fits(next)(last) && !has_path(last, rest));
            if !reuse {
                items.push(container(next, None));
            }
            if let Some(last) = items.last_mut() {
                insert_into(last, rest, value);
            }
        }
        _ => {}
    }
}

/// Whether `segs` already leads somewhere in `node` (then `a[][b]` starts a new element).
/// A path with `[]` in it never does, as in Rack.
fn has_path(node: &Node, segs: &[Seg]) -> bool {
    let mut node = node;
    for seg in segs {
        match (seg, node) {
            (Seg::Key(k), Node::Map(f)) => match f.get(k) {
                Some(n) => node = n,
                None => return false,
            },
            _ => return false,
        }
    }
    true
}

fn finish(node: Node) -> Value {
    match node {
        Node::Leaf(v) => v,
        Node::List(items) => Value::Array(items.into_iter().map(finish).collect()),
        Node::Map(f) => {
            let indexes: Option<Vec<u64>> = f
                .order
                .iter()
                .map(|(k, _)| {
                    k.bytes()
                        .all(|b| b.is_ascii_digit())
                        .then(|| k.parse::<u64>().ok())
                        .flatten()
                })
                .collect();
            match indexes {
                Some(ix) if !ix.is_empty() => {
                    let mut items: Vec<(u64, Node)> = ix
                        .into_iter()
                        .zip(f.order.into_iter().map(|(_, n)| n))
                        .collect();
                    items.sort_by_key(|(i, _)| *i);
                    Value::Array(items.into_iter().map(|(_, n)| finish(n)).collect())
                }
                _ => Value::Object(f.order.into_iter().map(|(k, n)| (k, finish(n))).collect()),
            }
        }
    }
}

/// Nests `(key, value)` pairs (a query string, a form, or a JSON object's members).
pub fn nest(pairs: impl IntoIterator<Item = (String, Value)>) -> ApiResult<Map<String, Value>> {
    let mut root = Fields::default();
    for (key, value) in pairs {
        match split_key(&key) {
            Some((_, segs)) if segs.len() > MAX_DEPTH => {
                return Err(ApiError::bad(format!(
                    "Parameter {:?} is nested too deep",
                    key.chars().take(60).collect::<String>()
                )));
            }
            Some((base, segs)) => insert_field(&mut root, base, &segs, value),
            None => insert_field(&mut root, &key, &[], value),
        }
    }
    Ok(root
        .order
        .into_iter()
        .map(|(k, n)| (k, finish(n)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(q: &str) -> Value {
        let pairs = form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())));
        Value::Object(nest(pairs).unwrap_or_default())
    }

    #[test]
    fn objects_lists_and_lists_of_objects() {
        assert_eq!(
            form("created_at%5Bfrom%5D=1&created_at%5Bto%5D=2&x=3&l%5B%5D=a&l%5B%5D=b"),
            json!({"created_at": {"from": "1", "to": "2"}, "x": "3", "l": ["a", "b"]})
        );
        assert_eq!(
            form(
                "contacts[1][phone]=b&contacts[0][phone]=a&contacts[0][tags][]=t&contacts[0][tags][]=u&contacts[1][name]=B"
            ),
            json!({"contacts": [{"phone": "a", "tags": ["t", "u"]}, {"phone": "b", "name": "B"}]})
        );
        assert_eq!(
            form("c[][phone]=a&c[][name]=A&c[][phone]=b"),
            json!({"c": [{"phone": "a", "name": "A"}, {"phone": "b"}]})
        );
        assert_eq!(
            form("via_field[field]=email&via_field[value]=x%40y.z"),
            json!({"via_field": {"field": "email", "value": "x@y.z"}})
        );
        assert_eq!(form("a[b][c][d]=1"), json!({"a": {"b": {"c": {"d": "1"}}}}));
    }

    #[test]
    fn odd_keys_stay_as_written_and_later_values_win() {
        assert_eq!(
            form("[x]=1&a[b=2&a]b[=3&c[d]e=4&k=1&k=2"),
            json!({"[x]": "1", "a[b": "2", "a]b[": "3", "c[d]e": "4", "k": "2"})
        );
        assert_eq!(form("a=1&a[b]=2"), json!({"a": {"b": "2"}}));
        assert_eq!(form("a[b]=2&a=1"), json!({"a": "1"}));
        assert_eq!(
            form("n[99999999999999999999999]=x"),
            json!({"n": {"99999999999999999999999": "x"}})
        );
    }

    #[test]
    fn json_members_nest_and_keep_their_types() {
        let members = json!({"via_field": {"field": "email"}, "via_field[value]": "b@c.d", "n[]": 1, "o": {"0": "kept"}});
        let Value::Object(m) = members else { return };
        assert_eq!(
            Value::Object(nest(m).unwrap_or_default()),
            json!({"via_field": {"field": "email", "value": "b@c.d"}, "n": [1], "o": {"0": "kept"}})
        );
    }

    #[test]
    fn depth_is_limited() {
        let deep = format!("a{}", "[x]".repeat(MAX_DEPTH + 1));
        let pairs = [(deep, json!("1"))];
        assert_eq!(nest(pairs).map_err(|e| e.status), Err(400));
        let ok = format!("a{}", "[x]".repeat(MAX_DEPTH));
        let nested = nest([(ok, json!("1"))]).unwrap_or_default();
        assert!(nested.get("a").is_some_and(Value::is_object), "{nested:?}");
    }
}
