//! The mock's data: users, credentials and inboxes with their contacts, tickets,
//! events, broadcasts, campaigns and tags. Renderers produce the documented shapes.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value, json};

/// Seconds since the epoch, with microseconds, as the API writes `created_at`.
pub fn now() -> f64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    (secs * 1e6).round() / 1e6
}

/// ISO-8601 with milliseconds and a UTC offset, as `/v1/whoami` writes `created_at`.
pub fn iso8601(secs: f64) -> String {
    let total_ms = (secs * 1000.0).round() as i64;
    let ms = total_ms.rem_euclid(1000);
    let t = total_ms.div_euclid(1000);
    let days = t.div_euclid(86_400);
    let rem = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Vendor-looking ids (`YOobKd97E4`), deterministic per server start.
#[derive(Debug, Default)]
pub struct IdGen {
    counter: u64,
}

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl IdGen {
    pub fn next_id(&mut self) -> String {
        self.counter += 1;
        let mut z = self.counter.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (0..10)
            .map(|_| {
                let c = ALPHABET.get((z % 62) as usize).copied().unwrap_or(b'x');
                z /= 62;
                c as char
            })
            .collect()
    }

    pub fn next_seq(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    pub fn uuid(&mut self) -> String {
        let a = self.next_id();
        let hex: String = a.bytes().map(|b| format!("{:02x}", b)).collect();
        let h = format!("{hex:0<32}");
        format!(
            "{}-{}-4{}-a{}-{}",
            h.get(0..8).unwrap_or("00000000"),
            h.get(8..12).unwrap_or("0000"),
            h.get(13..16).unwrap_or("000"),
            h.get(17..20).unwrap_or("000"),
            h.get(20..32).unwrap_or("000000000000")
        )
    }
}

#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: String,
    pub number: i64,
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub mfa_phone: Option<String>,
    pub created_at: f64,
}

#[derive(Clone, Debug)]
pub struct Membership {
    pub user_id: String,
    pub role: String,
    pub enabled: bool,
    pub added_at: f64,
}

#[derive(Clone, Debug)]
pub struct Credential {
    pub auth_id: String,
    pub secret: String,
    pub user_id: String,
    pub account_id: String,
    pub created_at: f64,
}

#[derive(Clone, Debug, Default)]
pub struct ContactRow {
    pub id: String,
    pub seq: u64,
    pub name: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
    pub notes: Option<String>,
    pub company: Option<String>,
    pub other_phone: Option<String>,
    pub created_at: f64,
    pub tags: Vec<String>,
    pub opted_out: bool,
    pub double_opted_in: bool,
    pub muted: bool,
    pub blocked: bool,
    pub landline: bool,
    pub salesforce_object_type: Option<String>,
    pub salesforce_object_id: Option<String>,
    pub priority: i64,
    pub user_id: Option<String>,
    pub visible: bool,
    pub due_for_compliance: bool,
    pub stuck_number: Option<String>,
    pub custom: Map<String, Value>,
}

#[derive(Clone, Debug)]
pub struct TicketRow {
    pub id: String,
    pub seq: u64,
    pub uuid: String,
    pub contact_id: String,
    pub user_id: Option<String>,
    pub unaddressed: bool,
    pub status: String,
    pub origin: String,
    pub channel: String,
    pub created_at: f64,
    pub closed_at: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct MessageRow {
    pub uuid: String,
    pub contact_id: String,
    pub sender_id: Option<String>,
    pub broadcast_id: Option<String>,
    pub to: String,
    pub from: String,
    pub direction: String,
    pub origin: Option<String>,
    pub message: String,
    pub carrier: Option<String>,
    pub external_id: Option<String>,
    pub status: String,
    pub status_callback: Option<String>,
    pub media_url: Option<String>,
    pub created_at: f64,
}

#[derive(Clone, Debug)]
pub struct PendingRow {
    pub contact_id: String,
    pub sender_id: Option<String>,
    pub sender: String,
    pub to: String,
    pub from: String,
    pub message: String,
    pub media_url: Option<String>,
    pub aborted: bool,
    pub sent_element_id: Option<String>,
    pub scheduled_for: f64,
    pub created_at: f64,
    pub aborter_id: Option<i64>,
    pub aborted_by: Option<String>,
    pub abort_reason: Option<String>,
    pub status_callback: Option<String>,
    pub campaign_key: Option<String>,
}

#[derive(Clone, Debug)]
pub enum EventKind {
    Sms(MessageRow),
    Pending(PendingRow),
    Status {
        user_id: Option<String>,
        status: String,
    },
    Owner {
        user_id: Option<String>,
        owner_id: Option<String>,
        old_owner_id: Option<String>,
    },
    Custom {
        user_id: String,
        contact_id: String,
        event_type: String,
        context: Option<String>,
        revenue: Option<f64>,
    },
    Call {
        from: String,
        to: String,
        direction: String,
        duration: i64,
    },
}

#[derive(Clone, Debug)]
pub struct EventRow {
    pub event_id: String,
    pub element_id: String,
    pub seq: u64,
    pub ticket_id: String,
    pub sent_at: f64,
    pub kind: EventKind,
}

#[derive(Clone, Debug)]
pub struct BroadcastRow {
    pub id: String,
    pub name: Option<String>,
    pub message: String,
    pub media_url: Option<String>,
    pub status_callback: Option<String>,
    pub status: String,
    pub created_at: f64,
    pub updated_at: f64,
    pub scheduled_for: f64,
    pub completed_at: Option<f64>,
    pub user_id: String,
    pub audience: BTreeSet<String>,
    pub attempted: i64,
    pub delivered: i64,
}

#[derive(Clone, Debug)]
pub struct CampaignRow {
    pub id: String,
    pub key: String,
    pub raw_text: String,
    pub follow_up_message: String,
    pub next_step: Option<String>,
    pub enrolled: BTreeSet<String>,
}

#[derive(Clone, Debug)]
pub struct Inbox {
    pub id: String,
    pub subdomain: String,
    pub name: String,
    pub created_at: f64,
    pub numbers: Vec<String>,
    pub members: Vec<Membership>,
    pub contacts: Vec<ContactRow>,
    pub tickets: Vec<TicketRow>,
    pub events: Vec<EventRow>,
    pub broadcasts: Vec<BroadcastRow>,
    pub campaigns: Vec<CampaignRow>,
    pub tags: BTreeSet<String>,
    pub autoassign_next: usize,
    /// Indexes of scheduled messages not yet sent (delivery only looks at these).
    pub undelivered: Vec<usize>,
    /// Contacts by phone and by id (contacts are only ever appended; phones never change).
    pub contact_by_phone: HashMap<String, usize>,
    pub contact_by_id: HashMap<String, usize>,
}

/// What the server is seeded with.
#[derive(Clone, Debug)]
pub struct Seed {
    pub auth_id: String,
    pub auth_secret: String,
    pub subdomain: String,
}

impl Default for Seed {
    fn default() -> Self {
        Seed {
            auth_id: "test-auth-id".into(),
            auth_secret: "test-auth-secret".into(),
            subdomain: "test-account".into(),
        }
    }
}

/// A second inbox the seeded owner belongs to.
pub const SECOND_INBOX: &str = "second-inbox";
/// An inbox the seeded owner does not belong to.
pub const FOREIGN_INBOX: &str = "other-team";
/// The inbox's own number (a valid `from`).
pub const INBOX_NUMBER: &str = "+15105551234";

#[derive(Debug)]
pub struct State {
    pub ids: IdGen,
    pub users: Vec<UserRow>,
    pub credentials: Vec<Credential>,
    pub inboxes: Vec<Inbox>,
}

impl State {
    pub fn seeded(seed: &Seed) -> State {
        let mut s = State {
            ids: IdGen::default(),
            users: Vec::new(),
            credentials: Vec::new(),
            inboxes: Vec::new(),
        };
        let t = now();
        let owner = s.add_user(Some("owner@example.com"), Some("Test Owner"), t);
        let teammate = s.add_user(Some("teammate@example.com"), Some("Bob McTest"), t);
        let manager = s.add_user(Some("alice@example.com"), Some("Alice Rivera"), t);
        let stranger = s.add_user(Some("stranger@example.com"), Some("Other Team Owner"), t);

        let main = s.add_inbox(&seed.subdomain, "Test Account", t);
        let second = s.add_inbox(SECOND_INBOX, "Second Inbox", t);
        let foreign = s.add_inbox(FOREIGN_INBOX, "Other Team", t);
        for (inbox, members) in [
            (
                &main,
                vec![
                    (&owner, "owner"),
                    (&teammate, "member"),
                    (&manager, "manager"),
                ],
            ),
            (&second, vec![(&owner, "owner"), (&teammate, "member")]),
            (&foreign, vec![(&stranger, "owner")]),
        ] {
            if let Some(i) = s.inbox_mut(inbox) {
                for (user, role) in members {
                    i.members.push(Membership {
                        user_id: user.clone(),
                        role: role.into(),
                        enabled: true,
                        added_at: t,
                    });
                }
            }
        }
        let one = s.ids.next_id();
        let two = s.ids.next_id();
        if let Some(i) = s.inbox_mut(&main) {
            i.campaigns.push(CampaignRow {
                id: one,
                key: "one".into(),
                raw_text: "[Campaign 1] first message".into(),
                follow_up_message: "[Campaign 1] second message".into(),
                next_step: Some("two".into()),
                enrolled: BTreeSet::new(),
            });
            i.campaigns.push(CampaignRow {
                id: two,
                key: "two".into(),
                raw_text: "[Campaign 2] first message".into(),
                follow_up_message: "[Campaign 2] second message".into(),
                next_step: None,
                enrolled: BTreeSet::new(),
            });
        }
        s.credentials.push(Credential {
            auth_id: seed.auth_id.clone(),
            secret: seed.auth_secret.clone(),
            user_id: owner,
            account_id: main.clone(),
            created_at: t,
        });
        s.credentials.push(Credential {
            auth_id: format!("{}-member", seed.auth_id),
            secret: format!("{}-member", seed.auth_secret),
            user_id: teammate,
            account_id: main,
            created_at: t,
        });
        s
    }

    fn add_user(&mut self, email: Option<&str>, name: Option<&str>, t: f64) -> String {
        let id = self.ids.next_id();
        let number = self.users.len() as i64 + 41;
        self.users.push(UserRow {
            id: id.clone(),
            number,
            email: email.map(str::to_string),
            name: name.map(str::to_string),
            phone: None,
            mfa_phone: None,
            created_at: t,
        });
        id
    }

    pub fn create_user(&mut self, email: &str, name: Option<&str>) -> String {
        self.add_user(Some(email), name, now())
    }

    fn add_inbox(&mut self, subdomain: &str, name: &str, t: f64) -> String {
        let id = self.ids.next_id();
        self.inboxes.push(Inbox {
            id: id.clone(),
            subdomain: subdomain.into(),
            name: name.into(),
            created_at: t,
            numbers: vec![INBOX_NUMBER.into()],
            members: Vec::new(),
            contacts: Vec::new(),
            tickets: Vec::new(),
            events: Vec::new(),
            broadcasts: Vec::new(),
            campaigns: Vec::new(),
            tags: BTreeSet::new(),
            autoassign_next: 0,
            undelivered: Vec::new(),
            contact_by_phone: HashMap::new(),
            contact_by_id: HashMap::new(),
        });
        id
    }

    pub fn inbox(&self, id: &str) -> Option<&Inbox> {
        self.inboxes.iter().find(|i| i.id == id)
    }

    pub fn inbox_mut(&mut self, id: &str) -> Option<&mut Inbox> {
        self.inboxes.iter_mut().find(|i| i.id == id)
    }

    pub fn user(&self, id: &str) -> Option<&UserRow> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_by_email(&self, email: &str) -> Option<&UserRow> {
        self.users.iter().find(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
    }

    /// A user by id or email.
    pub fn user_ref(&self, key: &str) -> Option<&UserRow> {
        self.user(key).or_else(|| self.user_by_email(key))
    }
}

impl Inbox {
    pub fn member(&self, user_id: &str) -> Option<&Membership> {
        self.members.iter().find(|m| m.user_id == user_id)
    }

    pub fn contact(&self, id: &str) -> Option<&ContactRow> {
        self.contact_by_id
            .get(id)
            .and_then(|&i| self.contacts.get(i))
    }

    pub fn contact_by_phone(&self, phone: &str) -> Option<&ContactRow> {
        self.contact_index(phone).and_then(|i| self.contacts.get(i))
    }

    pub fn contact_index(&self, phone: &str) -> Option<usize> {
        self.contact_by_phone.get(phone).copied()
    }

    /// Appends a contact and indexes it.
    pub fn add_contact(&mut self, c: ContactRow) -> usize {
        let i = self.contacts.len();
        self.contact_by_phone.insert(c.phone.clone(), i);
        self.contact_by_id.insert(c.id.clone(), i);
        self.contacts.push(c);
        i
    }

    pub fn ticket(&self, id: &str) -> Option<&TicketRow> {
        self.tickets.iter().find(|t| t.id == id)
    }

    pub fn account_json(&self, with_tcr: bool) -> Value {
        let mut v = json!({
            "id": self.id, "subdomain": self.subdomain, "name": self.name,
            "phone": Value::Null, "created_at": self.created_at,
        });
        if with_tcr && let Some(m) = v.as_object_mut() {
            m.insert("tcr_campaign_id".into(), Value::Null);
        }
        v
    }
}

pub fn user_json(u: &UserRow) -> Value {
    json!({
        "email": u.email, "id": u.id, "name": u.name, "image_url": Value::Null,
        "signed_in_at": Value::Null, "avobot_id": Value::Null, "phone": u.phone,
        "phone_formatted": u.phone.as_ref().map(|p| format_phone(p)), "created_at": u.created_at,
        "require_2fa": true, "mfa_app_valid": false, "phone_valid": false,
    })
}

pub fn user_details_json(u: &UserRow, m: &Membership) -> Value {
    let mut v = user_json(u);
    if let Some(o) = v.as_object_mut() {
        let manager = m.role == "manager" || m.role == "owner";
        o.insert("role".into(), m.role.clone().into());
        o.insert("enabled".into(), m.enabled.into());
        o.insert("can_message".into(), true.into());
        o.insert("can_call".into(), true.into());
        o.insert("can_view_billing".into(), (m.role == "owner").into());
        o.insert("can_view_org".into(), manager.into());
        o.insert("added_at".into(), m.added_at.into());
    }
    v
}

fn format_phone(p: &str) -> String {
    match p.strip_prefix("+1") {
        Some(d) if d.len() == 10 => {
            format!(
                "({}) {}-{}",
                d.get(0..3).unwrap_or(""),
                d.get(3..6).unwrap_or(""),
                d.get(6..).unwrap_or("")
            )
        }
        _ => p.to_string(),
    }
}

pub fn contact_json(c: &ContactRow) -> Value {
    let address: Vec<&str> = [&c.street, &c.city, &c.state, &c.zip, &c.country]
        .iter()
        .filter_map(|v| v.as_deref())
        .filter(|v| !v.is_empty())
        .collect();
    let mut v = json!({
        "id": c.id, "name": c.name, "phone": c.phone, "email": c.email, "street": c.street,
        "city": c.city, "state": c.state, "zip": c.zip, "country": c.country,
        "address": if address.is_empty() { Value::Null } else { Value::from(address.join(", ")) },
        "notes": c.notes, "company": c.company, "other_phone": c.other_phone,
        "created_at": c.created_at, "tags": c.tags,
        "tag_details": c.tags.iter().map(|t| json!({"name": t, "color": Value::Null, "duration": Value::Null, "routable": false})).collect::<Vec<_>>(),
        "opted_out": c.opted_out, "double_opted_in": c.double_opted_in, "muted": c.muted,
        "blocked": c.blocked, "salesforce_object_type": c.salesforce_object_type,
        "salesforce_object_id": c.salesforce_object_id, "priority": c.priority,
        "user_id": c.user_id, "visible": c.visible, "current_owner": c.user_id,
        "due_for_compliance": c.due_for_compliance,
    });
    if let Some(o) = v.as_object_mut() {
        for (k, val) in &c.custom {
            o.insert(k.clone(), val.clone());
        }
    }
    v
}

pub fn ticket_json(t: &TicketRow) -> Value {
    json!({
        "id": t.id, "uuid": t.uuid, "contact": t.contact_id, "user_id": t.user_id,
        "unaddressed": t.unaddressed, "status": t.status, "origin": t.origin,
        "created_at": t.created_at, "device_type": Value::Null, "device": Value::Null,
        "helper_bot": false, "helper_bot_source_account": Value::Null, "os": Value::Null,
        "os_version": Value::Null, "browser": Value::Null, "browser_version": Value::Null,
        "ip": Value::Null, "widget_referrer_url": Value::Null, "active_survey_id": Value::Null,
        "summary": Value::Null, "summary_updated_at": Value::Null,
    })
}

pub fn previous_ticket_json(
    t: &TicketRow,
    owner: Option<&UserRow>,
    subdomain: &str,
    tags: &[String],
) -> Value {
    json!({
        "id": t.id, "uuid": t.uuid, "channel": t.channel, "contact": t.contact_id,
        "created_at": t.created_at, "closed_at": t.closed_at,
        "user": owner.map(|u| json!({"id": u.id, "name": u.name})),
        "device_type": Value::Null, "option_data": Value::Null, "tags": tags,
        "account_subdomain": subdomain,
    })
}

pub fn message_json(e: &EventRow, m: &MessageRow, account_id: &str) -> Value {
    json!({
        "uuid": m.uuid, "account_id": account_id, "ticket_id": e.ticket_id,
        "contact_id": m.contact_id, "sender_id": m.sender_id,
        "sender_type": m.sender_id.as_ref().map(|_| "User"), "broadcast_id": m.broadcast_id,
        "salesforce_activity_id": Value::Null, "salesforce_group_activity_id": Value::Null,
        "to": m.to, "from": m.from, "direction": m.direction, "origin": m.origin,
        "message": m.message,
        "contents": m.media_url.iter().map(|u| json!({"media_url": u})).collect::<Vec<_>>(),
        "segments": m.message.chars().count().div_ceil(160).max(1),
        "carrier": m.carrier, "external_id": m.external_id, "status": m.status,
        "error_code": 0, "error_description": Value::Null, "reason": Value::Null,
        "status_callback": m.status_callback, "created_at": m.created_at, "sent_at": e.sent_at,
        "content_blocked": Value::Null, "boost_multiplier": 1, "event_id": e.event_id,
        "element_id": e.element_id, "element_type": "SmsMessage",
    })
}

pub fn pending_json(e: &EventRow, p: &PendingRow, account_id: &str) -> Value {
    json!({
        "account_id": account_id, "ticket_id": e.ticket_id, "contact_id": p.contact_id,
        "sender": p.sender, "message": p.message, "media_url": p.media_url, "aborted": p.aborted,
        "sent": {"element_id": p.sent_element_id, "element_type": p.sent_element_id.as_ref().map(|_| "SmsMessage")},
        "scheduled_for": p.scheduled_for, "created_at": p.created_at, "cancel_on": Value::Null,
        "aborter_id": p.aborter_id, "aborted_by": p.aborted_by, "abort_reason": p.abort_reason,
        "status_callback": p.status_callback, "event_id": e.event_id, "element_id": e.element_id,
        "element_type": "PendingMessage", "sent_at": e.sent_at,
    })
}

pub fn event_json(e: &EventRow, account_id: &str) -> Value {
    match &e.kind {
        EventKind::Sms(m) => message_json(e, m, account_id),
        EventKind::Pending(p) => pending_json(e, p, account_id),
        EventKind::Status { user_id, status } => json!({
            "account_id": account_id, "ticket_id": e.ticket_id, "user_id": user_id, "status": status,
            "event_id": e.event_id, "element_id": e.element_id, "element_type": "StatusChange", "sent_at": e.sent_at,
        }),
        EventKind::Owner {
            user_id,
            owner_id,
            old_owner_id,
        } => json!({
            "account_id": account_id, "ticket_id": e.ticket_id, "user_id": user_id,
            "owner_id": owner_id, "old_owner_id": old_owner_id, "event_id": e.event_id,
            "element_id": e.element_id, "element_type": "OwnerChange", "sent_at": e.sent_at,
        }),
        EventKind::Custom {
            user_id,
            contact_id,
            event_type,
            context,
            revenue,
        } => json!({
            "user_id": user_id, "account_id": account_id, "ticket_id": e.ticket_id,
            "contact_id": contact_id, "qa_keyword_id": Value::Null, "type": event_type,
            "context": context, "revenue": revenue, "event_id": e.event_id,
            "element_id": e.element_id, "element_type": "CustomEvent", "sent_at": e.sent_at,
        }),
        EventKind::Call {
            from,
            to,
            direction,
            duration,
        } => json!({
            "account_id": account_id, "call_from": from, "call_to": to, "voicemail": Value::Null,
            "direction": direction, "call_status": "completed", "ended_at": 0.0, "duration": duration,
            "segments": (duration + 59) / 60, "recording_url": Value::Null, "recording_status": Value::Null,
            "transcript": Value::Null, "transcript_status": Value::Null, "summary": Value::Null,
            "event_id": e.event_id, "element_id": e.element_id, "element_type": "Call", "sent_at": e.sent_at,
        }),
    }
}

pub fn broadcast_json(
    b: &BroadcastRow,
    owner: Option<&UserRow>,
    detail: bool,
    pending: bool,
) -> Value {
    let mut v = json!({
        "id": b.id, "name": b.name, "message": b.message, "media_url": b.media_url,
        "estimated_segments_sms": b.message.chars().count().div_ceil(160).max(1),
        "estimated_segments_mms": i64::from(b.media_url.is_some()),
        "status_callback": b.status_callback, "status": b.status, "created_at": b.created_at,
        "updated_at": b.updated_at, "scheduled_for": b.scheduled_for, "completed_at": b.completed_at,
        "user": owner.map(user_json), "assign_to_user_id": Value::Null, "boost_multiplier": 1,
    });
    if let (true, Some(o)) = (detail, v.as_object_mut()) {
        o.insert("sms_errors".into(), json!({}));
        o.insert("mms_errors".into(), json!({}));
        o.insert("audience".into(), b.audience.len().into());
        o.insert("contacts_count".into(), b.audience.len().into());
        o.insert("attempted".into(), b.attempted.into());
        o.insert("delivered".into(), b.delivered.into());
        o.insert("undelivered".into(), 0.into());
        o.insert("responded".into(), 0.into());
        o.insert("replied_stop".into(), 0.into());
        if pending {
            o.insert("pending_contacts_count".into(), 0.into());
        }
    }
    v
}

pub fn campaign_json(c: &CampaignRow) -> Value {
    json!({
        "id": c.id, "key": c.key, "raw_text": c.raw_text, "follow_up_message": c.follow_up_message,
        "follow_up_delay": Value::Null, "media_url": Value::Null, "hash_id": c.id, "hotkey": Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00.000+00:00");
        assert_eq!(iso8601(1_774_979_797.252), "2026-03-31T17:56:37.252+00:00");
    }

    #[test]
    fn ids_look_like_the_vendors() {
        let mut g = IdGen::default();
        let a = g.next_id();
        let b = g.next_id();
        assert_eq!(a.len(), 10);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(g.uuid().len(), 36);
    }
}
