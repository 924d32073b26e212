//! The command tree: global options, `auth`, `completions`, and one subcommand per
//! operation of the core's list (plus the bulk commands of `contacts` and `messages`).

use std::collections::BTreeMap;

use clap::{Arg, ArgAction, Command};

use crate::params;

const ABOUT: &str = "The Avochato API from a terminal: every operation, credential profiles, bulk import, export and sending";

const AFTER_HELP: &str = "\
Credentials: a profile (avochato auth add NAME), chosen with --profile or the default one;
AVOCHATO_AUTH_ID / AVOCHATO_AUTH_SECRET / AVOCHATO_BASE_URL / AVOCHATO_SUBDOMAIN override it.
Output: a table on a terminal, JSON when piped; --json, --csv, --quiet (ids only).
Exit codes: 0 done, 1 the API (or some rows of a bulk run) failed, 2 bad usage or input (nothing sent).";

fn resource_about(resource: &str) -> &'static str {
    match resource {
        "accounts" => "Inboxes (accounts) the credential can use",
        "broadcasts" => "Broadcasts: drafts, audiences, publishing",
        "calls" => "Call tokens",
        "campaigns" => "Campaign steps: list them, remove contacts",
        "contacts" => "Contacts: find, upsert, remove, import and export",
        "events" => "Conversation events: custom events, event streams",
        "messages" => "Messages: send, schedule, search, send in bulk",
        "tags" => "Tags on contacts",
        "tickets" => "Tickets (conversations): assign, close, search",
        "users" => "Users of the inbox: add, roles, enable and disable",
        _ => "",
    }
}

fn global(id: &'static str, long: &'static str) -> Arg {
    Arg::new(id).long(long).global(true)
}

pub fn command() -> Command {
    let mut root = Command::new("avochato")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            global("profile", "profile")
                .short('p')
                .value_name("NAME")
                .env("AVOCHATO_PROFILE")
                .add(clap_complete::engine::ArgValueCompleter::new(
                    crate::completion::profile_names,
                ))
                .help("The credential profile to use"),
        )
        .arg(
            global("subdomain", "subdomain")
                .value_name("INBOX")
                .help("Scope the command to this inbox"),
        )
        .arg(
            global("base-url", "base-url")
                .value_name("URL")
                .help("API base URL (default https://www.avochato.com)"),
        )
        .arg(
            global("timeout", "timeout")
                .value_name("SECONDS")
                .allow_hyphen_values(true)
                .value_parser(parse_timeout)
                .help("Time limit per request attempt (above 0, at most 86400)"),
        )
        .arg(
            global("max-retries", "max-retries")
                .value_name("N")
                .allow_hyphen_values(true)
                .value_parser(parse_max_retries)
                .help("Resends allowed per request, 0 to 100 (only where resending is safe)"),
        )
        .arg(
            global("time", "time")
                .value_name("FORMAT")
                .value_parser(["iso", "epoch"])
                .help("Times in tables and CSV: iso (ISO 8601, UTC; the default) or epoch (Unix seconds as sent)"),
        )
        .arg(
            global("table", "table")
                .action(ArgAction::SetTrue)
                .help("Print a table (the default on a terminal)")
                .conflicts_with_all(["json", "csv", "quiet"]),
        )
        .arg(
            global("json", "json")
                .action(ArgAction::SetTrue)
                .help("Print JSON (the default when piped)")
                .conflicts_with_all(["csv", "quiet"]),
        )
        .arg(
            global("csv", "csv")
                .action(ArgAction::SetTrue)
                .help("Print CSV")
                .conflicts_with("quiet"),
        )
        .arg(
            global("quiet", "quiet")
                .short('q')
                .action(ArgAction::SetTrue)
                .help("Print ids only"),
        )
        .arg(
            global("wide", "wide")
                .action(ArgAction::SetTrue)
                .help("Tables: every column, nothing truncated"),
        )
        .arg(
            global("verbose", "verbose")
                .short('v')
                .action(ArgAction::SetTrue)
                .help("Print each request and answer on stderr (never a secret)"),
        )
        .arg(
            global("no-progress", "no-progress")
                .action(ArgAction::SetTrue)
                .help("Bulk commands: plain progress lines instead of bars"),
        )
        .subcommand(auth())
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script (bash, zsh, fish, powershell, elvish)")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(
            Command::new("operations")
                .about("List every operation: resource, command, HTTP method, path"),
        );

    let mut resources: BTreeMap<&str, Command> = BTreeMap::new();
    for op in avochato::operations() {
        let info = op.params_info();
        let mut sub = Command::new(params::command_name(op))
            .about(format!(
                "{} ({} {})",
                op.title,
                op.http_method.as_str(),
                op.path
            ))
            .long_about(format!(
                "{}\n\n{} {}",
                info.doc,
                op.http_method.as_str(),
                op.path
            ));
        sub = params::args(sub, info);
        if crate::confirm::destructive(op) {
            sub = sub.arg(
                Arg::new("yes")
                    .long("yes")
                    .short('y')
                    .action(ArgAction::SetTrue)
                    .help("Do it without asking (needed when not on a terminal)"),
            );
        }
        if op.pages.is_some() {
            sub = sub.arg(
                Arg::new("all")
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .help("Every page, not just one"),
            );
        }
        let res = resources.remove(op.resource).unwrap_or_else(|| {
            Command::new(op.resource)
                .about(resource_about(op.resource))
                .subcommand_required(true)
                .arg_required_else_help(true)
        });
        resources.insert(op.resource, res.subcommand(sub));
    }
    for (name, mut cmd) in resources {
        match name {
            "contacts" => cmd = cmd.subcommand(import()).subcommand(export()),
            "messages" => cmd = cmd.subcommand(send_bulk()),
            _ => {}
        }
        root = root.subcommand(cmd);
    }
    root
}

fn auth() -> Command {
    let name = || Arg::new("name").value_name("NAME").help("Profile name");
    Command::new("auth")
        .about("Credential profiles (secrets in the system keyring or a 0600 file; never shown)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("add")
                .about("Add (or replace) a profile: the secret is read without echo, or from stdin")
                .arg(name().required(true))
                .arg(Arg::new("auth-id").long("auth-id").value_name("ID").help("The Auth ID (asked for if missing)"))
                .arg(Arg::new("inbox").long("inbox").value_name("SUBDOMAIN").help("The inbox this credential works in"))
                .arg(Arg::new("api-url").long("api-url").value_name("URL").help("API base URL for this profile"))
                .arg(Arg::new("default").long("default").action(ArgAction::SetTrue).help("Make it the default profile"))
                .arg(Arg::new("secret-store").long("secret-store").value_name("WHERE").value_parser(["auto", "keyring", "file"]).help("Where the secret goes: the system keyring, the profiles file (0600), or auto: the keyring when there is one [env: AVOCHATO_SECRET_STORE]")),
        )
        .subcommand(Command::new("list").about("List profiles: default, status, confirmation (never a secret)"))
        .subcommand(Command::new("default").about("Make a profile the default").arg(name().required(true)))
        .subcommand(Command::new("disable").about("Deactivate a profile (kept, but not usable)").arg(name().required(true)))
        .subcommand(Command::new("enable").about("Re-activate a profile").arg(name().required(true)))
        .subcommand(
            Command::new("verify")
                .about("Confirm a profile against GET /v1/whoami: shows its inbox and user, records the result")
                .arg(name()),
        )
        .subcommand(Command::new("remove").about("Delete a profile").arg(name().required(true)))
}

fn file_arg() -> Arg {
    Arg::new("file")
        .value_name("FILE")
        .required(true)
        .help("CSV with a header row (.csv), or JSON lines (.jsonl)")
}

fn journal_args(cmd: Command) -> Command {
    cmd.arg(
        Arg::new("journal")
            .long("journal")
            .value_name("PATH")
            .help("Progress file for resuming (default: FILE.avochato-journal)"),
    )
    .arg(
        Arg::new("failed")
            .long("failed")
            .value_name("PATH")
            .help("Where failed rows go (default: FILE.failed.csv or .jsonl)"),
    )
    .arg(
        Arg::new("restart")
            .long("restart")
            .action(ArgAction::SetTrue)
            .help("Ignore an earlier run's progress and start over"),
    )
}

fn parse_timeout(text: &str) -> std::result::Result<f64, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    avochato::config::duration_from_secs("timeout", secs)
        .map(|_| secs)
        .map_err(|e| e.errors().join("; "))
}

fn parse_max_retries(text: &str) -> std::result::Result<u32, String> {
    let n: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number"))?;
    avochato::config::retries_from_number("max-retries", n).map_err(|e| e.errors().join("; "))
}

/// Which columns hold what: shared by import and send-bulk.
fn mapping_args() -> [Arg; 3] {
    [
        Arg::new("map")
            .long("map")
            .value_name("COLUMN=FIELD")
            .action(ArgAction::Append)
            .help("Read a column as this field (repeatable): --map \"Cell=phone\", --map \"Lead Source=lead_source\", --map \"Notes=\" to skip one"),
        Arg::new("phone")
            .long("phone")
            .value_name("KINDS")
            .help("Which phone column wins when several are filled: mobile, phone, other, home [default: mobile,phone]"),
        Arg::new("country")
            .long("country")
            .value_name("CODE")
            .default_value("US")
            .help("Country of phone numbers written without +country code (ISO code or calling code)"),
    ]
}

fn dry_run_arg(what: &str) -> Arg {
    Arg::new("dry-run")
        .long("dry-run")
        .action(ArgAction::SetTrue)
        .help(format!("Read, map and check every row and print the {what} that would be sent (JSON lines), sending nothing"))
}

fn import() -> Command {
    journal_args(
        Command::new("import")
            .about("Create or update contacts from a CSV or JSON-lines file, in batches (POST /v1/contacts)")
            .long_about(
                "Create or update contacts from a file, in batches through the many-contacts upsert.\n\n\
                 Columns are contact fields (phone is required; name, email, tags, ...); other columns are custom fields. \
                 The headers of Salesforce Contact and Lead reports are recognised (Mobile Phone, Phone, Other Phone, First Name + Last Name, \
                 Email, Mailing Street/City/State/Zip/Country, Account Name or Company, Contact ID or Lead ID); their other columns are not sent \
                 unless named with --map. Phones are normalised to E.164 (--country). A false opted_out, blocked or double_opted_in is not sent \
                 unless --allow-opt-in. Rows that fail go to a file that can be imported again. An interrupted run resumes where it stopped.",
            )
            .arg(file_arg())
            .args(mapping_args())
            .arg(Arg::new("allow-opt-in").long("allow-opt-in").action(ArgAction::SetTrue).help("Send opted_out, blocked and double_opted_in as false when the file says so (by default a false never clears a stored opt-out, block or double opt-in)"))
            .arg(dry_run_arg("upsert requests"))
            .arg(Arg::new("batch-size").long("batch-size").value_name("N").default_value("100").value_parser(clap::value_parser!(u32).range(1..=1000)).help("Contacts per request"))
            .arg(Arg::new("allow-empty-fields").long("allow-empty-fields").action(ArgAction::SetTrue).help("Empty cells clear fields (default: empty cells are skipped)")),
    )
}

fn export() -> Command {
    Command::new("export")
        .about("Write every contact (or those matching --query) as CSV or JSON lines, page by page")
        .arg(
            Arg::new("format")
                .long("format")
                .value_parser(["csv", "jsonl"])
                .default_value("csv"),
        )
        .arg(
            Arg::new("query")
                .long("query")
                .value_name("QUERY")
                .help("Only contacts matching this search"),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .value_name("FILE")
                .help("Write here instead of stdout"),
        )
        .arg(
            Arg::new("field")
                .long("field")
                .short('F')
                .value_name("NAME")
                .action(ArgAction::Append)
                .help("A custom field column to include (CSV)"),
        )
}

fn send_bulk() -> Command {
    journal_args(
        Command::new("send-bulk")
            .about("Send one message per row of a file (phone, message): paced, resent only after 429, never twice")
            .long_about(
                "Send one message per row (columns phone and message; optionally from, media_url, tags, ...).\n\n\
                 Requests are paced to --rate. A request the API ignored (429) is sent again after its Retry-After; \
                 one that may have reached the API is never sent again. An interrupted run resumes without resending.",
            )
            .arg(file_arg())
            .arg(Arg::new("text").long("text").value_name("TEMPLATE").help("The message for every row, with {column} filled from the row ({first_name|there} gives a default for empty cells); instead of a message column"))
            .args(mapping_args())
            .arg(dry_run_arg("messages"))
            .arg(Arg::new("rate").long("rate").value_name("PER_SECOND").default_value("10").value_parser(clap::value_parser!(f64)).help("Most requests per second"))
            .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("8").value_parser(clap::value_parser!(u32).range(1..=256)).help("Requests in flight at most"))
            .arg(Arg::new("from").long("from").value_name("NUMBER").help("Send from this inbox number (E.164) unless a row says otherwise")),
    )
}
