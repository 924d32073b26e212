//! Every documented example request, sent to the mock over plain HTTP, is answered with
//! the documented shape: the same envelope, field names and JSON types.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use avochato_mock::{MockConfig, MockServer};
use serde_json::{Map, Value, json};

const FIXTURE: &str = include_str!("../../../tests/fixtures/avochato-v1.json");

struct Api {
    mock: MockServer,
    http: reqwest::Client,
}

impl Api {
    async fn call(&self, method: &str, path: &str, mut params: Map<String, Value>) -> (u16, Value) {
        params.insert("auth_id".into(), json!(self.mock.auth_id()));
        params.insert("auth_secret".into(), json!(self.mock.auth_secret()));
        let url = format!("{}{path}", self.mock.url());
        let req = if method == "GET" {
            let pairs: Vec<(String, String)> = flat_pairs(&params);
            self.http.get(url).query(&pairs)
        } else {
            let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            self.http.request(m, url).json(&Value::Object(params))
        };
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn ok(&self, method: &str, path: &str, params: Value) -> Value {
        let (status, body) = self
            .call(
                method,
                path,
                params.as_object().cloned().unwrap_or_default(),
            )
            .await;
        assert_eq!(status, 200, "{method} {path}: {body}");
        body
    }
}

fn flat_pairs(params: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in params {
        match v {
            Value::Object(o) => {
                for (sk, sv) in o {
                    out.push((format!("{k}[{sk}]"), text(sv)));
                }
            }
            Value::Null => {}
            other => out.push((k.clone(), text(other))),
        }
    }
    out
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Same keys (no more, no fewer) and the same JSON types; a documented `null` may be
/// anything, documented text may be `null`, an empty documented list says nothing about
/// its items.
fn same_shape(doc: &Value, got: &Value, path: &str, extra_ok: &[&str], out: &mut Vec<String>) {
    match (doc, got) {
        (Value::Null, _) => {}
        (Value::Object(d), Value::Object(g)) => {
            for (k, dv) in d {
                match g.get(k) {
                    Some(gv) => same_shape(dv, gv, &format!("{path}.{k}"), extra_ok, out),
                    None => out.push(format!("{path}.{k}: missing")),
                }
            }
            for k in g.keys().filter(|k| !d.contains_key(*k)) {
                if !extra_ok.contains(&k.as_str()) {
                    out.push(format!("{path}.{k}: not documented"));
                }
            }
        }
        (Value::Array(d), Value::Array(g)) => {
            for (i, gv) in g.iter().enumerate() {
                // Event streams mix types: compare with the documented event of the same type.
                let model = match gv.get("element_type") {
                    Some(t) => d.iter().find(|dv| dv.get("element_type") == Some(t)),
                    None => d.first(),
                };
                if let Some(dv) = model {
                    same_shape(dv, gv, &format!("{path}[{i}]"), extra_ok, out);
                }
            }
        }
        (d, g) if kind(d) == kind(g) => {}
        // Text fields are nullable: the reference shows the same field as null and as text.
        (Value::String(_), Value::Null) => {}
        (d, g) => out.push(format!("{path}: {} instead of {}", kind(g), kind(d))),
    }
}

#[tokio::test]
async fn every_documented_request_gets_the_documented_shape() {
    let mock = avochato_mock::spawn(MockConfig::default()).await.unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let api = Api {
        mock,
        http: reqwest::Client::new(),
    };
    let ids = setup(&api).await;

    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    let mut failures = Vec::new();
    let mut seen = 0;
    // Destructive operations last, so the others find their objects.
    let mut ops: Vec<&Value> = doc["operations"].as_array().unwrap().iter().collect();
    ops.sort_by_key(|o| {
        ["Delete a User", "Remove all contacts", "Publish Broadcast"]
            .contains(&o["title"].as_str().unwrap())
    });
    for op in ops {
        let title = op["title"].as_str().unwrap();
        let method = op["method"].as_str().unwrap();
        let path = fill_path(op["path"].as_str().unwrap(), title, &ids);
        let mut params: Map<String, Value> = if method == "GET" {
            let route = op["example_request"]["route"].as_str().unwrap();
            let query = route.split_once('?').map(|(_, q)| q).unwrap_or("");
            let mut m = Map::new();
            for (k, v) in form_urlencoded::parse(query.as_bytes()) {
                m.insert(k.into_owned(), Value::String(v.into_owned()));
            }
            m
        } else {
            op["example_request"]["body"]
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        adjust(title, &mut params, &ids);
        let (status, body) = api.call(method, &path, params).await;
        seen += 1;
        if status != 200 {
            failures.push(format!(
                "{title}: {method} {path} answered {status}: {body}"
            ));
            continue;
        }
        let expected = &op["example_response"]["body"];
        let mut problems = Vec::new();
        same_shape(expected, &body, "body", &["favorite_color"], &mut problems);
        for p in problems {
            failures.push(format!("{title}: {p}"));
        }
    }
    let documented = serde_json::from_str::<Value>(FIXTURE).unwrap()["operations"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(seen, documented, "every documented operation answered");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Ids of objects made for the examples to address.
async fn setup(api: &Api) -> BTreeMap<&'static str, String> {
    let mut ids = BTreeMap::new();
    let contact = api
        .ok("POST", "/v1/contacts", json!({"phone": "+15551234567", "name": "Bob McTest", "country": "US", "tags": "my-old-tag", "favorite_color": "green"}))
        .await;
    ids.insert(
        "contact",
        contact["data"]["contact"]["id"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let other = api
        .ok(
            "POST",
            "/v1/contacts",
            json!({"phone": "+15551234568", "name": "Other Contact", "city": "San Francisco"}),
        )
        .await;
    ids.insert(
        "contact2",
        other["data"]["contact"]["id"].as_str().unwrap().to_string(),
    );
    let inbound = api.http.post(format!("{}/__mock/inbound", api.mock.url())).json(&json!({"from": "+14155551234", "message": "I kept hearing that you had great service"})).send().await.unwrap();
    let inbound: Value = inbound.json().await.unwrap();
    ids.insert(
        "message",
        inbound["message"]["event_id"].as_str().unwrap().to_string(),
    );
    ids.insert(
        "ticket",
        inbound["message"]["ticket_id"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let later = avochato_mock_now() + 3600.0;
    let sched = api.ok("POST", "/v1/messages", json!({"phone": "+15551234567", "message": "Just wanted to follow up.", "scheduled_for": later})).await;
    ids.insert(
        "scheduled",
        sched["data"]["message"]["event_id"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let sent = api
        .ok(
            "POST",
            "/v1/messages",
            json!({"phone": "+15551234567", "message": "hello"}),
        )
        .await;
    ids.insert(
        "ticket2",
        sent["data"]["message"]["ticket_id"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let b1 = api
        .ok(
            "POST",
            "/v1/broadcasts",
            json!({"message": "Dolorem amet iure dicta.", "via_tags": "my-old-tag"}),
        )
        .await;
    ids.insert(
        "broadcast",
        b1["data"]["broadcast"]["id"].as_str().unwrap().to_string(),
    );
    let b2 = api
        .ok(
            "POST",
            "/v1/broadcasts",
            json!({"message": "Beatae adipisci dolorem error."}),
        )
        .await;
    ids.insert(
        "broadcast2",
        b2["data"]["broadcast"]["id"].as_str().unwrap().to_string(),
    );
    let user = api
        .ok(
            "POST",
            "/v1/users",
            json!({"email": "bob.mctest@example.com", "name": "Bob McTest"}),
        )
        .await;
    ids.insert(
        "user",
        user["data"]["user"]["id"].as_str().unwrap().to_string(),
    );
    let users = api.ok("GET", "/v1/users", json!({})).await;
    let teammate = users["data"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "teammate@example.com")
        .unwrap();
    ids.insert("teammate", teammate["id"].as_str().unwrap().to_string());
    let first = api.ok("GET", "/v1/contacts", json!({"limit": 1})).await;
    ids.insert(
        "cursor",
        first["data"]["next_page"].as_str().unwrap().to_string(),
    );
    ids
}

fn avochato_mock_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn fill_path(template: &str, title: &str, ids: &BTreeMap<&str, String>) -> String {
    let id = |k: &str| ids[k].clone();
    let value = |name: &str| -> String {
        match (title, name) {
            (t, _) if t.starts_with("Fetch Accounts") => "test-account,second-inbox".into(),
            (t, _) if t.contains("campaign") || t == "Fetch Campaigns" => "one".into(),
            (t, _) if t.starts_with("Fetch Broadcast") => {
                format!("{},{}", id("broadcast"), id("broadcast2"))
            }
            (t, _) if t.contains("Broadcast") || t == "Audience Count" => id("broadcast"),
            ("Fetch Contacts", _)
            | ("Add Tag (Contact id)", _)
            | ("Remove Tag (Contact id)", _) => format!("{},{}", id("contact"), id("contact2")),
            ("Add Event (Contact id)", _) => id("contact"),
            ("Cancel Scheduled Message", _) => id("scheduled"),
            ("Get Message", _) => id("message"),
            (t, _) if t.starts_with("Fetch Previous") => id("ticket2"),
            (_, "id") if template.starts_with("/v1/tickets") => id("ticket"),
            (_, "ids") if template.starts_with("/v1/tickets") => {
                format!("{},{}", id("ticket"), id("ticket2"))
            }
            (_, "id") if template.starts_with("/v1/users") => id("user"),
            _ => panic!("{title}: no id for :{name}"),
        }
    };
    template
        .split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) => value(name),
            None => seg.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Example values that cannot work as they are: times in the past, made-up users.
fn adjust(title: &str, params: &mut Map<String, Value>, ids: &BTreeMap<&str, String>) {
    params.remove("auth_id");
    params.remove("auth_secret");
    let now = avochato_mock_now();
    match title {
        "Send a Scheduled Message" => {
            params.insert("scheduled_for".into(), json!(now + 600.0));
            params.insert("send_as_user_email".into(), json!("teammate@example.com"));
        }
        "Search Scheduled Messages by scheduled date" => {
            params.insert(
                "scheduled_for[from]".into(),
                json!((now - 60.0).to_string()),
            );
            params.insert(
                "scheduled_for[to]".into(),
                json!((now + 86_400.0).to_string()),
            );
        }
        "Search Messages" | "Search Messages by timestamp" => {
            params.insert("created_at[from]".into(), json!((now - 600.0).to_string()));
            params.insert("created_at[to]".into(), json!((now + 60.0).to_string()));
        }
        "Search Contacts" => {
            params.remove("created_at[from]");
            params.remove("created_at[to]");
        }
        "Paginate contact results" => {
            params.insert("after_page".into(), json!(ids["cursor"]));
        }
        "Send Message" | "Send Live Chat Message" => {
            params.insert("send_as_user_email".into(), json!("teammate@example.com"));
        }
        "Update Multiple Contacts" | "Update Single Contact" => {
            if let Some(Value::Array(list)) = params.get_mut("contacts") {
                for c in list.iter_mut() {
                    c["user_id"] = json!("teammate@example.com");
                }
            }
        }
        "Update Assignment with user_id" => {
            params.insert("user_id".into(), json!(ids["teammate"]));
        }
        "Update Assignment with user_email" => {
            params.insert("user_email".into(), json!("teammate@example.com"));
        }
        "Add a User" => {
            params.insert("email".into(), json!("another.new.user@example.com"));
        }
        "Publish Broadcast" => {
            params.insert("scheduled_for".into(), json!(now + 600.0));
        }
        _ => {}
    }
}
