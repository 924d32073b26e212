//! Parameters are read wherever the API reads them: a JSON body, a form-encoded body (with
//! bracket nesting) or the query string, merged; strings stand for numbers and booleans.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use avochato_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

/// Where a request's parameters go.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Via {
    JsonBody,
    FormBody,
    Query,
}

struct Api {
    mock: MockServer,
    http: reqwest::Client,
    via: Via,
}

/// `{"a": {"b": 1}, "l": ["x"], "c": [{"p": 1}]}` → `a[b]=1`, `l[]=x`, `c[0][p]=1`.
fn bracket_pairs(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, sub) in o {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}[{k}]")
                };
                bracket_pairs(&key, sub, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = if item.is_object() {
                    format!("{prefix}[{i}]")
                } else {
                    format!("{prefix}[]")
                };
                bracket_pairs(&key, item, out);
            }
        }
        Value::Null => {}
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

fn form_encoded(v: &Value) -> String {
    let mut pairs = Vec::new();
    bracket_pairs("", v, &mut pairs);
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

impl Api {
    async fn start(via: Via) -> Api {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Api {
            mock: avochato_mock::spawn(MockConfig::default()).await.unwrap(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
            via,
        }
    }

    fn with_auth(&self, params: Value) -> Value {
        let mut all =
            json!({"auth_id": self.mock.auth_id(), "auth_secret": self.mock.auth_secret()});
        for (k, v) in params.as_object().unwrap() {
            all[k] = v.clone();
        }
        all
    }

    /// A request with the parameters sent `self.via` (GETs always use the query).
    async fn call(&self, method: &str, path: &str, params: Value) -> (u16, Value) {
        let params = self.with_auth(params);
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let url = format!("{}{path}", self.mock.url());
        let req = match self.via {
            _ if method == "GET" => self.http.get(format!("{url}?{}", form_encoded(&params))),
            Via::JsonBody => self.http.request(m, url).json(&params),
            Via::FormBody => self
                .http
                .request(m, url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form_encoded(&params)),
            Via::Query => self
                .http
                .request(m, format!("{url}?{}", form_encoded(&params))),
        };
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn ok(&self, method: &str, path: &str, params: Value) -> Value {
        let (s, b) = self.call(method, path, params).await;
        assert_eq!(s, 200, "{:?} {method} {path}: {b}", self.via);
        b
    }

    async fn contact(&self, phone: &str) -> Value {
        let b = self
            .ok(
                "GET",
                "/v1/contacts",
                json!({"query": format!("phone:\"{phone}\"")}),
            )
            .await;
        assert_eq!(
            b["data"]["contacts"].as_array().map(Vec::len),
            Some(1),
            "{b}"
        );
        b["data"]["contacts"][0].clone()
    }
}

/// Representative operations with their parameters sent `via`; every effect is checked
/// through the API.
async fn every_kind_of_parameter(via: Via) {
    let api = Api::start(via).await;

    // Send Message: a boolean, a comma-separated list; a scheduled one takes a number.
    let text = format!("sent via {via:?}");
    api.ok(
        "POST",
        "/v1/messages",
        json!({"phone": "+14155550101", "message": text, "mark_addressed": true, "tags": "Some Tag, Another Tag"}),
    )
    .await;
    let found = api.ok("GET", "/v1/messages", json!({"query": text})).await;
    assert_eq!(
        found["data"]["messages"].as_array().map(Vec::len),
        Some(1),
        "{found}"
    );
    assert_eq!(
        api.contact("+14155550101").await["tags"],
        json!(["Some Tag", "Another Tag"])
    );
    let later = avochato_now() + 3600.5;
    let b = api
        .ok(
            "POST",
            "/v1/messages",
            json!({"phone": "+14155550101", "message": "later", "scheduled_for": later}),
        )
        .await;
    assert!(b["data"]["message"].is_object(), "{b}");
    let scheduled = api.ok("GET", "/v1/messages/scheduled", json!({})).await;
    assert_eq!(
        scheduled["data"]["messages"].as_array().map(Vec::len),
        Some(1),
        "{scheduled}"
    );

    // Update Single Contact: booleans, a number, a custom field.
    let b = api
        .ok(
            "POST",
            "/v1/contacts",
            json!({"phone": "+14155550102", "name": "Single Person", "opted_out": true, "priority": 2, "favourite_color": "green"}),
        )
        .await;
    let c = &b["data"]["contact"];
    assert_eq!(
        (
            &c["name"],
            &c["opted_out"],
            &c["priority"],
            &c["favourite_color"]
        ),
        (
            &json!("Single Person"),
            &json!(true),
            &json!(2),
            &json!("green")
        ),
        "{b}"
    );

    // Update Multiple Contacts: a list of objects (contacts[0][phone]=... in a form).
    api.ok(
        "POST",
        "/v1/contacts",
        json!({"contacts": [
            {"phone": "+14155550103", "name": "Ann", "tags": ["x", "y"], "muted": true},
            {"phone": "+14155550104", "name": "Bo", "priority": 3, "visible": true},
        ]}),
    )
    .await;
    let ann = api.contact("+14155550103").await;
    assert_eq!(
        (&ann["name"], &ann["tags"], &ann["muted"]),
        (&json!("Ann"), &json!(["x", "y"]), &json!(true))
    );
    let bo = api.contact("+14155550104").await;
    assert_eq!((&bo["name"], &bo["priority"]), (&json!("Bo"), &json!(3)));

    // Add and remove a tag by phone (POST and DELETE).
    let b = api
        .ok(
            "POST",
            "/v1/tags",
            json!({"phone": "+14155550104", "tag": "vip"}),
        )
        .await;
    assert_eq!(b["data"]["action"], "tagged");
    assert_eq!(api.contact("+14155550104").await["tags"], json!(["vip"]));
    api.ok(
        "DELETE",
        "/v1/tags",
        json!({"phone": "+14155550104", "tag": "vip"}),
    )
    .await;
    assert_eq!(api.contact("+14155550104").await["tags"], json!([]));

    // Ticket PUT: a status, then a boolean.
    let tickets = api.ok("GET", "/v1/tickets", json!({})).await;
    let ticket = tickets["data"]["tickets"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v1/tickets/{ticket}");
    let b = api.ok("PUT", &path, json!({"status": "Closed"})).await;
    assert_eq!(b["data"]["tickets"][0]["status"], "Closed");
    let b = api.ok("PUT", &path, json!({"unaddressed": true})).await;
    assert_eq!(b["data"]["tickets"][0]["unaddressed"], true);

    // Campaign cancel: a list of phones, then `all` as a boolean.
    let enrolled: Value = api
        .http
        .post(format!("{}/__mock/campaigns/enroll", api.mock.url()))
        .json(&json!({"key": "one", "phones": ["+14155550105", "+14155550106"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(enrolled["enrolled"], 2);
    let b = api
        .ok(
            "POST",
            "/v1/campaigns/one/cancel",
            json!({"contacts": ["+14155550105", "+14155550106"]}),
        )
        .await;
    assert_eq!(
        b["data"]["contacts"],
        json!(["+14155550105", "+14155550106"])
    );
    let b = api
        .ok("POST", "/v1/campaigns/two/cancel", json!({"all": true}))
        .await;
    assert!(
        b["data"]["campaigns"]
            .as_str()
            .unwrap()
            .contains("all contacts"),
        "{b}"
    );

    // Users: add one, change its role.
    let b = api
        .ok(
            "POST",
            "/v1/users",
            json!({"email": "new.person@example.com", "role": "member", "name": "New Person"}),
        )
        .await;
    assert_eq!(b["data"]["user"]["email"], "new.person@example.com");
    let id = b["data"]["user"]["id"].as_str().unwrap().to_string();
    let b = api
        .ok(
            "PUT",
            &format!("/v1/users/{id}"),
            json!({"role": "manager"}),
        )
        .await;
    assert_eq!(b["data"]["user"]["role"], "manager");
}

fn avochato_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn parameters_in_a_json_body() {
    every_kind_of_parameter(Via::JsonBody).await;
}

#[tokio::test]
async fn parameters_in_a_form_encoded_body() {
    every_kind_of_parameter(Via::FormBody).await;
}

#[tokio::test]
async fn parameters_in_the_query_string_of_a_post_put_or_delete() {
    every_kind_of_parameter(Via::Query).await;
}

#[tokio::test]
async fn the_string_forms_of_numbers_and_booleans_are_read_from_any_source() {
    let api = Api::start(Via::FormBody).await;
    let b = api
        .ok(
            "POST",
            "/v1/contacts",
            json!({"contacts": [{"phone": "+14155550110", "opted_out": "1", "priority": "2", "visible": "true"}]}),
        )
        .await;
    let c = &b["data"]["contact"];
    assert_eq!(
        (&c["opted_out"], &c["priority"], &c["visible"]),
        (&json!(true), &json!(2), &json!(true))
    );
    let (s, b) = api
        .call(
            "POST",
            "/v1/contacts",
            json!({"phone": "+14155550111", "opted_out": "perhaps"}),
        )
        .await;
    assert_eq!((s, &b["status"]), (400, &json!(400)), "{b}");
    // Broadcasts name their audience by a field: via_field[field]=..&via_field[value]=..
    api.ok(
        "POST",
        "/v1/contacts",
        json!({"phone": "+14155550112", "email": "bob@example.com"}),
    )
    .await;
    let b = api
        .ok(
            "POST",
            "/v1/broadcasts",
            json!({"message": "hi", "via_field": {"field": "email", "value": "bob@example.com"}}),
        )
        .await;
    let id = b["data"]["broadcast"]["id"].as_str().unwrap().to_string();
    let count = api
        .ok(
            "GET",
            &format!("/v1/broadcasts/{id}/audience_count"),
            json!({}),
        )
        .await;
    assert_eq!(count["data"]["count"], 1, "{count}");
}

#[tokio::test]
async fn query_and_body_are_merged_and_the_body_wins() {
    let api = Api::start(Via::JsonBody).await;
    let url = format!("{}/v1/messages", api.mock.url());
    let query = [
        ("auth_id", api.mock.auth_id()),
        ("auth_secret", api.mock.auth_secret()),
        ("phone", "+14155550120"),
        ("message", "from the query"),
    ];
    // Credentials in the query, the rest in the body.
    let r = api
        .http
        .post(&url)
        .query(&query[..2])
        .header("content-type", "application/x-www-form-urlencoded")
        .body("phone=%2B14155550120&message=from+a+form")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The same names in both: the body's values are used.
    let r = api
        .http
        .post(&url)
        .query(&query)
        .json(&json!({"message": "from the body"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for (text, n) in [
        ("from a form", 1),
        ("from the body", 1),
        ("from the query", 0),
    ] {
        let b = api.ok("GET", "/v1/messages", json!({"query": text})).await;
        assert_eq!(
            b["data"]["messages"].as_array().map(Vec::len),
            Some(n),
            "{text}: {b}"
        );
    }
}

#[tokio::test]
async fn bodies_it_cannot_read_get_the_error_envelope() {
    let api = Api::start(Via::JsonBody).await;
    let url = format!(
        "{}/v1/messages?auth_id={}&auth_secret={}",
        api.mock.url(),
        api.mock.auth_id(),
        api.mock.auth_secret()
    );
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "text/plain",
            b"phone=1&message=x".to_vec(),
            "Unsupported content type",
        ),
        (
            "multipart/form-data; boundary=b",
            b"--b--".to_vec(),
            "Unsupported content type",
        ),
        (
            "application/json",
            b"{\"phone\": ".to_vec(),
            "Malformed JSON",
        ),
        ("application/json", b"[1, 2]".to_vec(), "JSON object"),
        (
            "application/x-www-form-urlencoded",
            vec![b'a', b'=', 0xFF, 0xFE],
            "not UTF-8",
        ),
    ];
    for (ct, body, says) in cases {
        let r = api
            .http
            .post(&url)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        let b: Value = r.json().await.unwrap();
        assert_eq!((s, &b["status"]), (400, &json!(400)), "{ct}: {b}");
        let first = b["errors"][0].as_str().unwrap();
        assert!(first.contains(says), "{ct}: {b}");
    }
    let state: Value = api
        .http
        .get(format!("{}/__mock/state", api.mock.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["inboxes"][0]["messages"], 0);
}
